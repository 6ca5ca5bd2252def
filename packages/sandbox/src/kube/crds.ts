import fs from 'node:fs';
import path from 'node:path';
import {
  CustomResourceDefinition,
  findRepoRoot,
  loadProviderCrds,
  providerCrdsDir,
  readCrdFile,
} from './resources';
import { crdsFromXrd, readXrdFile } from './xrd';

export interface SandboxCrdPaths {
  /** Monorepo root; found by walking up to backstage.json when absent. */
  repoRoot?: string;
  /** Folder of provider-proxmox-bpg CRDs; default SANKOFA_PROVIDER_CRDS_DIR or ../shared/reference/provider-proxmox-bpg. */
  providerCrdsDir?: string;
}

/**
 * Every CRD a sandbox cluster serves: the claim and composite CRDs derived
 * from deploy/crossplane/definition.yaml, both EnvironmentVM CRDs of
 * provider-proxmox-bpg and our Argo CD Application CRD.
 */
export function loadSandboxCrds(
  paths: SandboxCrdPaths = {},
): CustomResourceDefinition[] {
  const repoRoot = paths.repoRoot ?? findRepoRoot();
  const xrd = readXrdFile(
    path.join(repoRoot, 'deploy/crossplane/definition.yaml'),
  );
  const ownCrdsDir = path.join(repoRoot, 'packages/sandbox/crds');
  const own = fs
    .readdirSync(ownCrdsDir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(f => readCrdFile(path.join(ownCrdsDir, f)));
  return [
    ...crdsFromXrd(xrd),
    ...loadProviderCrds(paths.providerCrdsDir ?? providerCrdsDir(repoRoot)),
    ...own,
  ];
}
