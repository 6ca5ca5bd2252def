import { Config } from '@backstage/config';
import {
  readSitesPolicy,
  SankofaSitesPolicy,
  VM_CLAIM,
} from '@sankofa/plugin-sankofa-common';

/** Where claims live: our XRD's claim (Crossplane v1) or a namespaced XR (Crossplane v2). */
export interface ClaimSettings {
  apiVersion: string;
  kind: string;
  plural: string;
  mode: 'claim' | 'namespacedXR';
  compositionName?: string;
}

export interface GitopsSettings {
  repoUrl: string;
  targetBranch: string;
  pathTemplate: string;
  catalogPathTemplate: string;
  kustomizationPathTemplate: string;
  catalogInfoPath: string;
  labels: string[];
  reviewers: string[];
  author: { name: string; email: string };
}

export interface SankofaSettings {
  claim: ClaimSettings;
  gitops: GitopsSettings;
  sites: SankofaSitesPolicy;
  /** app.baseUrl, for links back to the portal. */
  portalBaseUrl?: string;
}

export const DEFAULT_GITOPS: Omit<GitopsSettings, 'repoUrl'> = {
  targetBranch: 'main',
  pathTemplate: 'clusters/{{cluster}}/vms/{{namespace}}/{{name}}.yaml',
  catalogPathTemplate: 'catalog/{{namespace}}/{{name}}.yaml',
  kustomizationPathTemplate: 'clusters/{{cluster}}/kustomization.yaml',
  catalogInfoPath: 'catalog-info.yaml',
  labels: ['sankofa', 'vm-request'],
  reviewers: [],
  author: { name: 'Sankofa Portal', email: 'sankofa-portal@localhost' },
};

/** Reads `sankofa.sites`, `sankofa.gitops` and `sankofa.claim` (see config.d.ts). */
export function readSankofaSettings(config: Config): SankofaSettings {
  const gitops = config.getOptionalConfig('sankofa.gitops');
  const claim = config.getOptionalConfig('sankofa.claim');
  const mode = claim?.getOptionalString('mode') ?? 'claim';
  if (mode !== 'claim' && mode !== 'namespacedXR') {
    throw new Error(
      `sankofa.claim.mode must be "claim" or "namespacedXR", got "${mode}"`,
    );
  }
  const author = gitops?.getOptionalConfig('author');
  return {
    claim: {
      apiVersion: claim?.getOptionalString('apiVersion') ?? VM_CLAIM.apiVersion,
      kind: claim?.getOptionalString('kind') ?? VM_CLAIM.kind,
      plural: claim?.getOptionalString('plural') ?? VM_CLAIM.plural,
      mode,
      compositionName: claim?.getOptionalString('compositionName'),
    },
    gitops: {
      repoUrl: gitops?.getOptionalString('repoUrl') ?? '',
      targetBranch:
        gitops?.getOptionalString('targetBranch') ??
        DEFAULT_GITOPS.targetBranch,
      pathTemplate:
        gitops?.getOptionalString('pathTemplate') ??
        DEFAULT_GITOPS.pathTemplate,
      catalogPathTemplate:
        gitops?.getOptionalString('catalogPathTemplate') ??
        DEFAULT_GITOPS.catalogPathTemplate,
      kustomizationPathTemplate:
        gitops?.getOptionalString('kustomizationPathTemplate') ??
        DEFAULT_GITOPS.kustomizationPathTemplate,
      catalogInfoPath:
        gitops?.getOptionalString('catalogInfoPath') ??
        DEFAULT_GITOPS.catalogInfoPath,
      labels: gitops?.getOptionalStringArray('labels') ?? DEFAULT_GITOPS.labels,
      reviewers:
        gitops?.getOptionalStringArray('reviewers') ?? DEFAULT_GITOPS.reviewers,
      author: {
        name: author?.getOptionalString('name') ?? DEFAULT_GITOPS.author.name,
        email:
          author?.getOptionalString('email') ?? DEFAULT_GITOPS.author.email,
      },
    },
    sites: readSitesPolicy(config),
    portalBaseUrl: config.getOptionalString('app.baseUrl'),
  };
}
