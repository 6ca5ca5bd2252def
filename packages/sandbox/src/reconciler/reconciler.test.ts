import { stringify } from 'yaml';
import { GitHost, startGitHost } from '../git';
import { loadSandboxCrds, ObjectStore, sampleClaim } from '../kube';
import { ArgoCdReconciler } from './argocd';
import { CLAIM_API, COMPOSITE_API, MR_API } from './compose';
import { CrossplaneReconciler } from './crossplane';
import { SiteConditions } from './sites';

const TOKEN = 'reconciler-test-token';

const claim = (name: string, site: string, image = 'debian-12') =>
  sampleClaim(name, 'team-alpha', site, image);

async function api(host: GitHost, path: string, body?: unknown) {
  const res = await fetch(`${host.apiUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      Authorization: `token ${TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Opens and merges a pull request that adds a claim, as the portal's scaffolder would. */
async function mergeClaim(
  host: GitHost,
  cluster: string,
  obj: ReturnType<typeof claim>,
) {
  const branch = `vm/${obj.metadata.name}`;
  const file = `vms/${obj.metadata.namespace}/${obj.metadata.name}.yaml`;
  const current = await host.readFile(
    'platform',
    'sankofa-gitops',
    'main',
    `clusters/${cluster}/kustomization.yaml`,
  );
  const meta = await api(
    host,
    `/repos/platform/sankofa-gitops/contents/clusters/${cluster}/kustomization.yaml?ref=main`,
  );
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [file],
  };
  expect(current).toContain('resources: []');
  await api(host, '/repos/platform/sankofa-gitops/contents', {
    branch: 'main',
    new_branch: branch,
    message: `Request VM ${obj.metadata.name}`,
    files: [
      {
        operation: 'create',
        path: `clusters/${cluster}/${file}`,
        content: Buffer.from(stringify(obj)).toString('base64'),
      },
      {
        operation: 'update',
        path: `clusters/${cluster}/kustomization.yaml`,
        sha: meta.sha,
        content: Buffer.from(stringify(kustomization)).toString('base64'),
      },
    ],
  });
  const pr = await api(host, '/repos/platform/sankofa-gitops/pulls', {
    head: branch,
    base: 'main',
    title: `Request VM ${obj.metadata.name}`,
  });
  await api(host, `/repos/platform/sankofa-gitops/pulls/${pr.number}/merge`, {
    Do: 'merge',
  });
}

async function eventually<T>(
  fn: () => T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise(r => setTimeout(r, 50));
  }
}

const condition = (obj: any, type: string) =>
  obj?.status?.conditions?.find((c: { type: string }) => c.type === type);

describe('the sandbox reconciler (ArgoCD + Crossplane + Proxmox)', () => {
  let host: GitHost;
  let store: ObjectStore;
  let argocd: ArgoCdReconciler;
  let crossplane: CrossplaneReconciler;
  const conditions = new SiteConditions();

  beforeAll(async () => {
    host = await startGitHost({
      port: 0,
      users: [{ login: 'sankofa-bot', token: TOKEN }],
    });
    store = new ObjectStore({
      crds: loadSandboxCrds(),
      namespaces: ['team-alpha', 'argocd'],
    });
    crossplane = new CrossplaneReconciler({
      cluster: 'sankofa-east',
      store,
      conditions,
      provisionMs: 300,
    });
    crossplane.start();
    argocd = new ArgoCdReconciler({
      cluster: 'sankofa-east',
      store,
      repoUrl: host.repoUrl('platform', 'sankofa-gitops'),
      branch: 'main',
      pollMs: 60_000,
    });
    await argocd.start();
  });

  afterAll(async () => {
    argocd?.stop();
    crossplane?.stop();
    await host?.close();
  });

  it('applies a merged claim within one poll and takes it to Ready', async () => {
    await mergeClaim(host, 'sankofa-east', claim('web-1', 'accra'));
    await argocd.refresh();

    const applied = store.get({
      ...CLAIM_API,
      namespace: 'team-alpha',
      name: 'web-1',
    });
    expect(applied.metadata.labels?.['app.kubernetes.io/instance']).toBe(
      'sankofa-sankofa-east',
    );
    const app = store.get({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      namespace: 'argocd',
      name: 'sankofa-sankofa-east',
    });
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.sync.revision).toBe(
      await host.branchSha('platform', 'sankofa-gitops', 'main'),
    );
    expect(app.status.operationState.phase).toBe('Succeeded');

    const ready = await eventually(() => {
      const c = store.tryGet({
        ...CLAIM_API,
        namespace: 'team-alpha',
        name: 'web-1',
      });
      return condition(c, 'Ready')?.status === 'True' ? c : undefined;
    });
    expect(ready.status.vmId).toBeGreaterThanOrEqual(100);
    expect(ready.status.ipv4[0]).toMatch(/^10\.10\.20\.\d+$/); // site subnet 10, VLAN 20
    expect(ready.spec.resourceRef.kind).toBe('XVirtualMachine');

    const composite = store.get({
      ...COMPOSITE_API,
      name: ready.spec.resourceRef.name,
    });
    expect(composite.spec.claimRef).toMatchObject({
      name: 'web-1',
      namespace: 'team-alpha',
    });
    const mr = store.get({
      ...MR_API,
      name: composite.spec.resourceRefs[0].name,
    });
    expect(mr.metadata.labels).toMatchObject({
      'crossplane.io/claim-name': 'web-1',
      'crossplane.io/claim-namespace': 'team-alpha',
      'crossplane.io/composite': composite.metadata.name,
    });
    expect(mr.spec.forProvider.nodeName).toMatch(/^pve-accra-[123]$/);
    expect(condition(mr, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Available',
    });
    expect(condition(mr, 'Synced')).toMatchObject({
      status: 'True',
      reason: 'ReconcileSuccess',
    });

    await argocd.refresh();
    await eventually(
      () =>
        store.get({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          namespace: 'argocd',
          name: 'sankofa-sankofa-east',
        }).status.health.status === 'Healthy',
    );
  });

  it('reports a missing image as the provider would, with the Proxmox message', async () => {
    store.create(claim('web-2', 'accra', 'centos-6'));
    const mr = await eventually(() =>
      store
        .list(MR_API, { labelSelector: 'crossplane.io/claim-name=web-2' })
        .items.find(m => condition(m, 'Synced')?.status === 'False'),
    );
    expect(condition(mr, 'Synced')).toMatchObject({ reason: 'ReconcileError' });
    expect(condition(mr, 'Synced').message).toContain(
      "volume 'local:import/centos-6.qcow2' does not exist",
    );
    const events = store.list(
      { apiVersion: 'v1', kind: 'Event' },
      { namespace: 'default' },
    ).items;
    expect(
      events.some(
        e =>
          e.reason === 'CannotCreateExternalResource' &&
          e.involvedObject.name === mr.metadata.name,
      ),
    ).toBe(true);
  });

  it('fails on an offline node and recovers when the node is back', async () => {
    const c = claim('web-3', 'accra');
    store.create({ ...c, spec: { ...c.spec, node: 'pve-accra-2' } });
    conditions.offlineNodes.add('pve-accra-2');
    crossplane.reconcileAll();
    const failing = await eventually(() =>
      store
        .list(MR_API, { labelSelector: 'crossplane.io/claim-name=web-3' })
        .items.find(m => condition(m, 'Synced')?.status === 'False'),
    );
    expect(condition(failing, 'Synced').message).toContain(
      "node 'pve-accra-2' seems to be offline",
    );
    conditions.offlineNodes.delete('pve-accra-2');
    crossplane.reconcileAll();
    await eventually(() => {
      const c3 = store.tryGet({
        ...CLAIM_API,
        namespace: 'team-alpha',
        name: 'web-3',
      });
      return condition(c3, 'Ready')?.status === 'True';
    });
  });

  it('prunes a claim removed from Git, and its composite and managed resource go with it', async () => {
    const composite = store.get({
      ...CLAIM_API,
      namespace: 'team-alpha',
      name: 'web-1',
    }).spec.resourceRef.name;
    const meta = await api(
      host,
      '/repos/platform/sankofa-gitops/contents/clusters/sankofa-east/kustomization.yaml?ref=main',
    );
    await api(host, '/repos/platform/sankofa-gitops/contents', {
      branch: 'main',
      message: 'Decommission web-1',
      files: [
        {
          operation: 'update',
          path: 'clusters/sankofa-east/kustomization.yaml',
          sha: meta.sha,
          content: Buffer.from(stringify({ resources: [] })).toString('base64'),
        },
      ],
    });
    await argocd.refresh();
    expect(
      store.tryGet({ ...CLAIM_API, namespace: 'team-alpha', name: 'web-1' }),
    ).toBeUndefined();
    await eventually(
      () =>
        !store.tryGet({ ...COMPOSITE_API, name: composite }) &&
        !store.tryGet({ ...MR_API, name: composite }),
    );
  });
});
