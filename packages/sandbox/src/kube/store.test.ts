import { KubeApiError } from './errors';
import { loadSandboxCrds } from './crds';
import { sampleClaim, sampleComposite, sampleEnvironmentVm } from './fixtures';
import { CustomResourceDefinition } from './resources';
import { KubeObject, ObjectStore, WatchEvent } from './store';

const VM = { apiVersion: 'sankofa.io/v1alpha1', kind: 'VirtualMachine' };

let crds: CustomResourceDefinition[];
beforeAll(() => {
  crds = loadSandboxCrds();
});

function newStore(historySize?: number) {
  return new ObjectStore({
    crds,
    historySize,
    namespaces: ['team-alpha', 'team-beta', 'argocd'],
  });
}

function caught(fn: () => unknown): KubeApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeApiError) return e;
    throw e;
  }
  throw new Error('expected a KubeApiError');
}

const flush = () => new Promise(resolve => setImmediate(resolve));

describe('ObjectStore', () => {
  it('creates with uid, resourceVersion, generation and creationTimestamp', () => {
    const store = newStore();
    const before = Number(store.resourceVersion());
    const vm = store.create(sampleClaim('vm-a'));
    expect(vm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(vm.metadata.resourceVersion)).toBe(before + 1);
    expect(vm.metadata.generation).toBe(1);
    expect(vm.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(store.get({ ...VM, namespace: 'team-alpha', name: 'vm-a' })).toEqual(
      vm,
    );
  });

  it('generates names from generateName', () => {
    const store = newStore();
    const claim = sampleClaim('x');
    delete claim.metadata.name;
    claim.metadata.generateName = 'web-';
    const vm = store.create(claim);
    expect(vm.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('rejects duplicates, bad names, missing namespaces and schema violations', () => {
    const store = newStore();
    store.create(sampleClaim('vm-a'));
    const dup = caught(() => store.create(sampleClaim('vm-a')));
    expect(dup.status).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'virtualmachines.sankofa.io "vm-a" already exists',
      details: { name: 'vm-a', group: 'sankofa.io', kind: 'virtualmachines' },
    });
    const badName = caught(() => store.create(sampleClaim('VM_A')));
    expect(badName.status.code).toBe(422);
    expect(badName.status.details?.causes?.[0].field).toBe('metadata.name');
    const noNs = caught(() => store.create(sampleClaim('vm-b', 'team-gamma')));
    expect(noNs.status).toMatchObject({
      code: 404,
      message: 'namespaces "team-gamma" not found',
    });
    const claim = sampleClaim('vm-c');
    claim.spec.cpu = 'four';
    claim.spec.powerState = 'Paused';
    delete claim.spec.image;
    const bad = caught(() => store.create(claim));
    expect(bad.status.reason).toBe('Invalid');
    expect(bad.status.details?.causes?.map(c => c.field).sort()).toEqual([
      'spec.cpu',
      'spec.image',
      'spec.powerState',
    ]);
    expect(bad.status.message).toContain(
      'spec.cpu: Invalid value: "string": spec.cpu in body must be of type integer',
    );
    expect(
      store.tryGet({ ...VM, namespace: 'team-alpha', name: 'vm-c' }),
    ).toBeUndefined();
  });

  it('prunes unknown fields like a structural schema', () => {
    const store = newStore();
    const claim = sampleClaim('vm-a');
    claim.spec.unknownField = 'x';
    claim.topLevel = true;
    const vm = store.create(claim);
    expect(vm.spec.unknownField).toBeUndefined();
    expect(vm.topLevel).toBeUndefined();
  });

  it('bumps generation on spec changes only and keeps status out of main writes', () => {
    const store = newStore();
    const vm = store.create(sampleClaim('vm-a'));
    const withStatus = store.updateStatus({
      ...vm,
      status: { vmId: 101, conditions: [] },
    });
    expect(withStatus.metadata.generation).toBe(1);
    expect(withStatus.status.vmId).toBe(101);

    // Main-resource write: status in the body is ignored, labels are not spec.
    const relabelled = store.update({
      ...withStatus,
      metadata: { ...withStatus.metadata, labels: { team: 'a' } },
      status: { vmId: 999 },
    });
    expect(relabelled.metadata.generation).toBe(1);
    expect(relabelled.status.vmId).toBe(101);

    const resized = store.update({
      ...relabelled,
      spec: { ...relabelled.spec, cpu: 4 },
    });
    expect(resized.metadata.generation).toBe(2);

    // Status writes never touch the spec.
    const statusWrite = store.updateStatus({
      ...resized,
      spec: { ...resized.spec, cpu: 8 },
      status: { vmId: 102 },
    });
    expect(statusWrite.spec.cpu).toBe(4);
    expect(statusWrite.metadata.generation).toBe(2);
  });

  it('answers 409 Conflict for a stale resourceVersion and skips no-op writes', () => {
    const store = newStore();
    const vm = store.create(sampleClaim('vm-a'));
    store.update({ ...vm, spec: { ...vm.spec, cpu: 4 } });
    const stale = caught(() =>
      store.update({ ...vm, spec: { ...vm.spec, cpu: 8 } }),
    );
    expect(stale.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on virtualmachines.sankofa.io "vm-a": the object has been modified; please apply your changes to the latest version and try again',
    });
    const current = store.get({ ...VM, namespace: 'team-alpha', name: 'vm-a' });
    const rv = store.resourceVersion();
    expect(store.update(current).metadata.resourceVersion).toBe(
      current.metadata.resourceVersion,
    );
    expect(store.resourceVersion()).toBe(rv);
  });

  it('patches with merge and JSON patches, on the object and its status', () => {
    const store = newStore();
    store.create(sampleClaim('vm-a'));
    const ref = { ...VM, namespace: 'team-alpha', name: 'vm-a' };
    const merged = store.patch(ref, {
      spec: { powerState: 'Stopped', userData: null },
    });
    expect(merged.spec.powerState).toBe('Stopped');
    const jsonPatched = store.patch(
      ref,
      [{ op: 'replace', path: '/spec/memoryMiB', value: 4096 }],
      { type: 'json' },
    );
    expect(jsonPatched.spec.memoryMiB).toBe(4096);
    expect(jsonPatched.metadata.generation).toBe(3);
    const status = store.patch(
      ref,
      { status: { node: 'pve-accra-2' }, spec: { cpu: 16 } },
      { subresource: 'status' },
    );
    expect(status.status.node).toBe('pve-accra-2');
    expect(status.spec.cpu).toBe(2);
    const conflict = caught(() =>
      store.patch(ref, {
        metadata: { resourceVersion: '1' },
        spec: { cpu: 3 },
      }),
    );
    expect(conflict.status.code).toBe(409);
  });

  it('selects by labels and fields', () => {
    const store = newStore();
    store.create(sampleClaim('a1', 'team-alpha', 'accra'));
    store.create(sampleClaim('a2', 'team-alpha', 'kumasi'));
    store.create(sampleClaim('b1', 'team-beta', 'tamale'));
    const names = (opts: object) =>
      store
        .list(VM, opts)
        .items.map(i => `${i.metadata.namespace}/${i.metadata.name}`);
    expect(names({})).toEqual([
      'team-alpha/a1',
      'team-alpha/a2',
      'team-beta/b1',
    ]);
    expect(names({ namespace: 'team-beta' })).toEqual(['team-beta/b1']);
    expect(names({ labelSelector: 'sankofa.io/site=accra' })).toEqual([
      'team-alpha/a1',
    ]);
    expect(names({ labelSelector: 'sankofa.io/site==kumasi' })).toEqual([
      'team-alpha/a2',
    ]);
    expect(names({ labelSelector: 'sankofa.io/site!=accra' })).toEqual([
      'team-alpha/a2',
      'team-beta/b1',
    ]);
    expect(
      names({ labelSelector: 'sankofa.io/site in (accra, tamale)' }),
    ).toEqual(['team-alpha/a1', 'team-beta/b1']);
    expect(
      names({
        labelSelector: 'sankofa.io/site notin (accra,tamale),sankofa.io/owner',
      }),
    ).toEqual(['team-alpha/a2']);
    expect(names({ labelSelector: '!sankofa.io/site' })).toEqual([]);
    expect(names({ fieldSelector: 'metadata.name=b1' })).toEqual([
      'team-beta/b1',
    ]);
    expect(names({ fieldSelector: 'metadata.namespace!=team-alpha' })).toEqual([
      'team-beta/b1',
    ]);
    expect(
      caught(() => names({ fieldSelector: 'spec.cpu=2' })).status,
    ).toMatchObject({
      code: 400,
      message: 'field label not supported: spec.cpu',
    });
    expect(caught(() => names({ labelSelector: 'a in (b' })).status.code).toBe(
      400,
    );
  });

  it('selects events by involvedObject fields', () => {
    const store = newStore();
    const event = (name: string, involved: string) =>
      store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'team-alpha' },
        involvedObject: {
          kind: 'VirtualMachine',
          name: involved,
          namespace: 'team-alpha',
        },
        reason: 'Creating',
        type: 'Normal',
        message: 'creating',
      });
    event('e1', 'vm-a');
    event('e2', 'vm-b');
    const list = store.list(
      { apiVersion: 'v1', kind: 'Event' },
      {
        namespace: 'team-alpha',
        fieldSelector:
          'involvedObject.name=vm-b,involvedObject.kind=VirtualMachine',
      },
    );
    expect(list.items.map(i => i.metadata.name)).toEqual(['e2']);
  });

  it('pages with limit and continue, and expires old continue tokens', () => {
    const store = newStore(20);
    for (let i = 0; i < 7; i++) store.create(sampleClaim(`vm-${i}`));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    const remaining: Array<number | undefined> = [];
    do {
      const page = store.list(VM, {
        namespace: 'team-alpha',
        limit: 3,
        continue: token,
      });
      seen.push(...page.items.map(i => i.metadata.name!));
      token = page.metadata.continue;
      remaining.push(page.metadata.remainingItemCount);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(remaining).toEqual([4, 1, undefined]);
    expect(seen).toEqual([
      'vm-0',
      'vm-1',
      'vm-2',
      'vm-3',
      'vm-4',
      'vm-5',
      'vm-6',
    ]);

    const first = store.list(VM, { limit: 2 });
    for (let i = 0; i < 25; i++)
      store.patch(
        { ...VM, namespace: 'team-alpha', name: 'vm-0' },
        { spec: { cpu: (i % 8) + 1 } },
      );
    const gone = caught(() =>
      store.list(VM, { limit: 2, continue: first.metadata.continue }),
    );
    expect(gone.status).toMatchObject({ code: 410, reason: 'Expired' });
    expect(
      caught(() => store.list(VM, { continue: 'garbage' })).status.code,
    ).toBe(400);
  });

  it('keeps objects with finalizers until the last finalizer goes', () => {
    const store = newStore();
    const claim = sampleClaim('vm-a');
    claim.metadata.finalizers = ['finalizer.apiextensions.crossplane.io'];
    store.create(claim);
    const ref = { ...VM, namespace: 'team-alpha', name: 'vm-a' };
    const deleting = store.delete(ref);
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(store.tryGet(ref)).toBeDefined();
    store.patch(ref, { metadata: { finalizers: null } });
    expect(store.tryGet(ref)).toBeUndefined();
    expect(caught(() => store.delete(ref)).status.code).toBe(404);
  });

  it('deletes the contents of a deleted namespace', () => {
    const store = newStore();
    store.create(sampleClaim('vm-a', 'team-beta'));
    store.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'team-beta' });
    expect(store.list(VM).items).toHaveLength(0);
  });

  it('stores composites and both EnvironmentVM variants', () => {
    const store = newStore();
    const claim = store.create(sampleClaim('vm-a'));
    const xr = store.create(sampleComposite(claim));
    const mr = store.create(sampleEnvironmentVm(xr, 101));
    expect(mr.metadata.namespace).toBeUndefined();
    expect(mr.spec.forProvider.cpu[0].cores).toBe(2);
    const namespaced = sampleEnvironmentVm(xr, 102);
    namespaced.apiVersion =
      'virtualenvironmentvm.proxmoxbpg.m.crossplane.io/v1alpha1';
    namespaced.metadata.namespace = 'team-alpha';
    // The v2 schema requires providerConfigRef.kind (and defaults the whole ref).
    expect(
      caught(() => store.create(namespaced)).status.details?.causes?.[0].field,
    ).toBe('spec.providerConfigRef.kind');
    delete namespaced.spec.providerConfigRef;
    const created = store.create(namespaced);
    expect(created.metadata.namespace).toBe('team-alpha');
    expect(created.spec.providerConfigRef).toEqual({
      kind: 'ClusterProviderConfig',
      name: 'default',
    });
  });

  it('watches from a resourceVersion, filters by selector and expires old positions', async () => {
    const store = newStore(10);
    store.create(sampleClaim('vm-a'));
    const start = store.resourceVersion();
    const events: WatchEvent[] = [];
    const w = store.watch(
      VM,
      {
        namespace: 'team-alpha',
        labelSelector: 'sankofa.io/site=accra',
        resourceVersion: start,
      },
      e => events.push(e),
    );
    store.create(sampleClaim('vm-b'));
    store.create(sampleClaim('vm-k', 'team-alpha', 'kumasi'));
    store.patch(
      { ...VM, namespace: 'team-alpha', name: 'vm-b' },
      { metadata: { labels: { 'sankofa.io/site': 'kumasi' } } },
    );
    store.patch(
      { ...VM, namespace: 'team-alpha', name: 'vm-k' },
      { metadata: { labels: { 'sankofa.io/site': 'accra' } } },
    );
    store.delete({ ...VM, namespace: 'team-alpha', name: 'vm-a' });
    await flush();
    w.stop();
    expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED vm-b',
      'DELETED vm-b',
      'ADDED vm-k',
      'DELETED vm-a',
    ]);

    // Replay from the start position, then fall off the end of the history.
    const replay: WatchEvent[] = [];
    store.watch(VM, { resourceVersion: start }, e => replay.push(e)).stop();
    for (let i = 0; i < 12; i++)
      store.patch(
        { ...VM, namespace: 'team-alpha', name: 'vm-b' },
        { spec: { cpu: (i % 4) + 1 } },
      );
    expect(
      caught(() => store.watch(VM, { resourceVersion: start }, () => {}))
        .status,
    ).toMatchObject({
      code: 410,
      reason: 'Expired',
    });
    const initial: KubeObject[] = [];
    const w2 = store.watch(VM, {}, e => initial.push(e.object));
    await flush();
    w2.stop();
    expect(initial.map(o => o.metadata.name)).toEqual(['vm-b', 'vm-k']);
  });
});
