import { stringify } from 'yaml';
import type { GitHostState } from './state';

export const GITOPS_OWNER = 'platform';
export const GITOPS_REPO = 'sankofa-gitops';
export const GITOPS_CLUSTERS = ['sankofa-east', 'sankofa-west'];

/** The files of the GitOps repository before any VM has been requested. */
export function gitopsSeedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const cluster of GITOPS_CLUSTERS) {
    files[`clusters/${cluster}/kustomization.yaml`] = stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [],
    });
  }
  files['catalog-info.yaml'] = stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'sankofa-gitops-vms',
      description:
        'Catalog entities of the virtual machines requested through Sankofa',
    },
    // Filled with ./catalog/<namespace>/<name>.yaml as VM requests merge.
    spec: { targets: [] },
  });
  files['README.md'] = [
    '# sankofa-gitops',
    '',
    'Desired state of the Sankofa clusters, changed only through pull requests.',
    '',
    '- `clusters/<cluster>/vms/<namespace>/<name>.yaml`: a VirtualMachine claim,',
    '  listed in `clusters/<cluster>/kustomization.yaml` and synced by ArgoCD',
    '  (Application `sankofa-<cluster>`).',
    "- `catalog/<namespace>/<name>.yaml`: the VM's Backstage Resource entity,",
    '  listed in `catalog-info.yaml`.',
    '',
  ].join('\n');
  return files;
}

/** Creates platform/sankofa-gitops with its initial commit, unless it exists. */
export async function seedGitops(state: GitHostState) {
  if (state.findRepo(GITOPS_OWNER, GITOPS_REPO)) {
    return;
  }
  const repo = await state.createRepo({
    owner: GITOPS_OWNER,
    name: GITOPS_REPO,
    description:
      'Sankofa GitOps: Crossplane claims per cluster and VM catalog entities',
    defaultBranch: 'main',
  });
  const git = state.git(repo);
  const user = state.findUser(GITOPS_OWNER);
  const author = {
    name: user?.fullName || GITOPS_OWNER,
    email: user?.email ?? `${GITOPS_OWNER}@sankofa.local`,
  };
  const sha = await git.writeCommit({
    changes: Object.entries(gitopsSeedFiles()).map(([path, text]) => ({
      operation: 'put' as const,
      path,
      content: Buffer.from(text, 'utf8'),
    })),
    message: 'Initial layout of the Sankofa GitOps repository',
    author,
  });
  await git.git(['update-ref', 'refs/heads/main', sha]);
}
