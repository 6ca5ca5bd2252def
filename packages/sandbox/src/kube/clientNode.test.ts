import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { sampleClaim } from './fixtures';
import { startKubeApiServer } from './index';
import { KubeApiServer } from './server';

let server: KubeApiServer;
let kc: KubeConfig;

const VM = {
  group: 'sankofa.io',
  version: 'v1alpha1',
  plural: 'virtualmachines',
};
const VM_REF = {
  apiVersion: 'sankofa.io/v1alpha1',
  kind: 'VirtualMachine',
  namespace: 'team-alpha',
};

beforeAll(async () => {
  server = await startKubeApiServer({ clusterName: 'west', historySize: 25 });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'west', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'sa', token: server.token }],
    contexts: [{ name: 'west', cluster: 'west', user: 'sa' }],
    currentContext: 'west',
  });
});

afterAll(async () => {
  await server.close();
});

async function waitFor(check: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('@kubernetes/client-node against the sandbox', () => {
  it('creates, lists, patches and reads status through CustomObjectsApi', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const created: any = await api.createNamespacedCustomObject({
      ...VM,
      namespace: 'team-alpha',
      body: sampleClaim('api-1'),
    });
    expect(created.metadata.uid).toBeDefined();
    const list: any = await api.listNamespacedCustomObject({
      ...VM,
      namespace: 'team-alpha',
      labelSelector: 'sankofa.io/site=accra',
    });
    expect(list.items.map((i: any) => i.metadata.name)).toContain('api-1');
    const patched: any = await api.patchNamespacedCustomObject(
      {
        ...VM,
        namespace: 'team-alpha',
        name: 'api-1',
        body: { spec: { powerState: 'Stopped' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec.powerState).toBe('Stopped');
    expect(patched.metadata.generation).toBe(2);
    const withStatus: any = await api.patchNamespacedCustomObjectStatus(
      {
        ...VM,
        namespace: 'team-alpha',
        name: 'api-1',
        body: { status: { vmId: 4321 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(withStatus.status.vmId).toBe(4321);
    const err = await api
      .getNamespacedCustomObject({
        ...VM,
        namespace: 'team-alpha',
        name: 'missing',
      })
      .catch(e => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
    });
  });

  it('reads namespaces and events through CoreV1Api', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining(['team-alpha', 'team-beta', 'platform', 'argocd']),
    );
    await core.createNamespacedEvent({
      namespace: 'team-alpha',
      body: {
        metadata: { name: 'api-1.created' },
        involvedObject: {
          apiVersion: 'sankofa.io/v1alpha1',
          kind: 'VirtualMachine',
          name: 'api-1',
          namespace: 'team-alpha',
        },
        reason: 'Creating',
        type: 'Normal',
        message: 'composite created',
      },
    });
    const events = await core.listNamespacedEvent({
      namespace: 'team-alpha',
      fieldSelector: 'involvedObject.name=api-1',
    });
    expect(events.items.map(e => e.reason)).toEqual(['Creating']);
  });

  it('keeps an informer correct across a dropped watch and a 410 Gone re-list', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    for (const name of ['inf-1', 'inf-2'])
      server.store.create(sampleClaim(name));
    let lists = 0;
    const informer = makeInformer<KubernetesObject>(
      kc,
      '/apis/sankofa.io/v1alpha1/namespaces/team-alpha/virtualmachines',
      async () => {
        lists++;
        return (await api.listNamespacedCustomObject({
          ...VM,
          namespace: 'team-alpha',
          labelSelector: 'sankofa.io/owner=team-alpha',
        })) as any;
      },
      'sankofa.io/owner=team-alpha',
    );
    const errors: unknown[] = [];
    informer.on('error', e => errors.push(e));
    const names = () =>
      informer
        .list('team-alpha')
        .map(o => o.metadata!.name!)
        .filter(n => n.startsWith('inf-'))
        .sort();
    await informer.start();
    await waitFor(() => names().length === 2, 'the initial list');
    await waitFor(() => server.faults.openWatches() === 1, 'the watch');

    // 1. A dropped watch: the informer resumes from its resourceVersion.
    expect(server.faults.dropWatches()).toBe(1);
    server.store.create(sampleClaim('inf-3'));
    await waitFor(
      () => names().join() === 'inf-1,inf-2,inf-3',
      'inf-3 after the drop',
    );
    expect(lists).toBe(1);

    // 2. The watch comes back only after the history moved past its
    // resourceVersion: the server answers 410 in-stream and the informer re-lists.
    await waitFor(() => server.faults.openWatches() === 1, 'the resumed watch');
    server.faults.setLatency(300);
    server.faults.dropWatches();
    server.store.delete({ ...VM_REF, name: 'inf-2' });
    server.store.create(sampleClaim('inf-4'));
    for (let i = 0; i < 30; i++) {
      server.store.patch(
        { ...VM_REF, name: 'inf-1' },
        { spec: { cpu: (i % 8) + 1 } },
      );
    }
    await waitFor(() => lists >= 2, 'the re-list after 410');
    server.faults.setLatency(0);
    await waitFor(
      () => names().join() === 'inf-1,inf-3,inf-4',
      'the re-listed set',
    );
    const inf1 = informer.get('inf-1', 'team-alpha') as any;
    expect(inf1.spec.cpu).toBe(6);
    expect(errors).toEqual([]);
    await informer.stop();
  });
});
