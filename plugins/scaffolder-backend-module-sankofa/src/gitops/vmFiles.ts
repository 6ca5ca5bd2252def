import path from 'node:path';
import pLimit from 'p-limit';
import { parse } from 'yaml';
import { InputError } from '@backstage/errors';
import { VmUsage, isDns1123Label } from '@sankofa/plugin-sankofa-common';
import type { SankofaSettings } from '../config';
import { VmIdentity, kustomization } from '../render/manifests';
import { relativeFrom, renderRepoPath } from '../render/paths';
import { GitopsRepoReader } from './GitopsRepoReader';

/** The repository paths that belong to one VM. */
export interface VmPaths {
  claimPath: string;
  kustomizationPath: string;
  kustomizationEntry: string;
  entityPath: string;
  catalogInfoPath: string;
  catalogTarget: string;
}

export function vmPaths(settings: SankofaSettings, vm: VmIdentity): VmPaths {
  const values = { ...vm, site: '' };
  const { gitops } = settings;
  const claimPath = renderRepoPath(gitops.pathTemplate, values);
  const kustomizationPath = renderRepoPath(
    gitops.kustomizationPathTemplate,
    values,
  );
  const kustomizationEntry = relativeFrom(kustomizationPath, claimPath);
  if (kustomizationEntry.startsWith('..')) {
    // kustomize refuses files outside the kustomization root by default.
    throw new Error(
      `sankofa.gitops.pathTemplate must place claims under the directory of ${kustomizationPath}`,
    );
  }
  const entityPath = renderRepoPath(gitops.catalogPathTemplate, values);
  const catalogInfoPath = renderRepoPath(gitops.catalogInfoPath, values);
  const target = relativeFrom(catalogInfoPath, entityPath);
  return {
    claimPath,
    kustomizationPath,
    kustomizationEntry,
    entityPath,
    catalogInfoPath,
    catalogTarget: target.startsWith('.') ? target : `./${target}`,
  };
}

interface ClaimSummary extends VmUsage {
  name: string;
  namespace: string;
  site?: string;
}

function summarize(text: string): ClaimSummary | undefined {
  try {
    const doc = parse(text);
    const spec = doc?.spec ?? {};
    return {
      name: String(doc?.metadata?.name ?? ''),
      namespace: String(doc?.metadata?.namespace ?? ''),
      site: typeof spec.site === 'string' ? spec.site : undefined,
      cpu: Number(spec.cpu) || 0,
      memoryMiB: Number(spec.memoryMiB) || 0,
      diskGiB: Number(spec.diskGiB) || 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * The usage of every VM a group holds on a site, counted from the claims its cluster's
 * kustomization lists on the target branch (what is merged is what counts).
 */
export async function groupUsage(
  repo: GitopsRepoReader,
  settings: SankofaSettings,
  options: { cluster: string; group: string; site: string; except?: string },
): Promise<VmUsage[]> {
  const probe = vmPaths(settings, {
    cluster: options.cluster,
    namespace: options.group,
    name: 'probe',
  });
  const text = await repo.read(probe.kustomizationPath);
  if (text === undefined) return [];
  const groupDir = path.posix.dirname(probe.kustomizationEntry);
  const kustomizationDir = path.posix.dirname(probe.kustomizationPath);
  const entries = kustomization
    .entries(text, probe.kustomizationPath)
    .filter(e => path.posix.dirname(path.posix.normalize(e)) === groupDir)
    .filter(e => e !== options.except);
  const limit = pLimit(8);
  const claims = await Promise.all(
    entries.map(e =>
      limit(async () => {
        const file = path.posix.join(kustomizationDir, e);
        const claim = await repo.read(file);
        return claim === undefined ? undefined : summarize(claim);
      }),
    ),
  );
  return claims.filter(
    (c): c is ClaimSummary =>
      c !== undefined &&
      c.namespace === options.group &&
      c.site === options.site,
  );
}

/**
 * Finds the cluster of an existing VM from `vm`, which is a claim ref
 * `<cluster>/<namespace>/<name>` or the VM's entity ref `resource:<namespace>/<name>`.
 */
export async function locateVm(
  repo: GitopsRepoReader,
  settings: SankofaSettings,
  vm: string,
): Promise<VmIdentity> {
  const claimRef = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([^/]+)\/([^/]+)$/.exec(vm);
  const entityRef = /^(?:resource:)?([^/:]+)\/([^/:]+)$/i.exec(vm);
  let namespace: string;
  let name: string;
  let clusters: string[];
  if (claimRef) {
    [, , namespace, name] = claimRef;
    clusters = [claimRef[1]];
  } else if (entityRef) {
    [, namespace, name] = entityRef;
    clusters = [...new Set(settings.sites.map(s => s.cluster))];
  } else {
    throw new InputError(
      `vm: "${vm}" must be a claim reference <cluster>/<namespace>/<name> or an entity reference resource:<namespace>/<name>`,
    );
  }
  if (!isDns1123Label(namespace) || !isDns1123Label(name)) {
    throw new InputError(
      `vm: namespace and name in "${vm}" must be DNS-1123 labels`,
    );
  }
  for (const cluster of clusters) {
    const paths = vmPaths(settings, { cluster, namespace, name });
    const text = await repo.read(paths.kustomizationPath);
    if (
      text !== undefined &&
      kustomization
        .entries(text, paths.kustomizationPath)
        .includes(paths.kustomizationEntry)
    ) {
      return { cluster, namespace, name };
    }
  }
  throw new InputError(
    `vm: no VM ${namespace}/${name} is listed in the GitOps repository`,
  );
}
