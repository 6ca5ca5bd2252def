import request from 'supertest';
import { loadSandboxCrds } from './crds';
import { sampleClaim } from './fixtures';
import { startKubeApiServer } from './index';
import { CustomResourceDefinition } from './resources';
import { KubeApiServer } from './server';

let crds: CustomResourceDefinition[];
let server: KubeApiServer;
let auth: Record<string, string>;
const VMS = '/apis/sankofa.io/v1alpha1/namespaces/team-alpha/virtualmachines';

beforeAll(async () => {
  crds = loadSandboxCrds();
  server = await startKubeApiServer({
    clusterName: 'east',
    crds,
    historySize: 30,
    bookmarkIntervalMs: 50,
  });
  auth = { Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server.close();
});

afterEach(() => server.faults.reset());

/** Reads newline-delimited watch events until `count` arrived or the stream ends. */
async function readWatch(path: string, count: number, onOpen?: () => void) {
  const res = await fetch(`${server.url}${path}`, { headers: auth });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buffer = '';
  onOpen?.();
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    events.push(...lines.map(line => JSON.parse(line)));
  }
  await reader.cancel().catch(() => {});
  return events;
}

describe('Kubernetes API wire protocol', () => {
  it('answers 401 Status without or with a wrong token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nope' }]) {
      const res = await request(server.url)
        .get('/api/v1/namespaces')
        .set(headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    expect(server.token).toBe('sandbox-token-east');
  });

  it('serves discovery documents', async () => {
    const api = await request(server.url).get('/api').set(auth);
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = await request(server.url).get('/api/v1').set(auth);
    expect(core.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'namespaces',
          namespaced: false,
          kind: 'Namespace',
        }),
        expect.objectContaining({
          name: 'events',
          namespaced: true,
          kind: 'Event',
          singularName: 'event',
        }),
      ]),
    );
    const groups = await request(server.url).get('/apis').set(auth);
    expect(groups.body.groups.map((g: any) => g.name)).toEqual(
      expect.arrayContaining([
        'sankofa.io',
        'argoproj.io',
        'virtualenvironmentvm.proxmoxbpg.crossplane.io',
        'virtualenvironmentvm.proxmoxbpg.m.crossplane.io',
      ]),
    );
    const group = await request(server.url).get('/apis/sankofa.io').set(auth);
    expect(group.body.preferredVersion).toEqual({
      groupVersion: 'sankofa.io/v1alpha1',
      version: 'v1alpha1',
    });
    const list = await request(server.url)
      .get('/apis/sankofa.io/v1alpha1')
      .set(auth);
    expect(list.body).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'sankofa.io/v1alpha1',
    });
    const byName = Object.fromEntries(
      list.body.resources.map((r: any) => [r.name, r]),
    );
    expect(byName.virtualmachines).toEqual({
      name: 'virtualmachines',
      singularName: 'virtualmachine',
      namespaced: true,
      kind: 'VirtualMachine',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['svm'],
      categories: ['claim'],
    });
    expect(byName.xvirtualmachines.namespaced).toBe(false);
    expect(byName['virtualmachines/status'].verbs).toEqual([
      'get',
      'patch',
      'update',
    ]);
    const argo = await request(server.url)
      .get('/apis/argoproj.io/v1alpha1')
      .set(auth);
    expect(argo.body.resources).toEqual([
      expect.objectContaining({
        name: 'applications',
        namespaced: true,
        shortNames: ['app', 'apps'],
      }),
    ]);
    const missing = await request(server.url).get('/apis/nope.io/v1').set(auth);
    expect(missing.status).toBe(404);
    expect(missing.body.reason).toBe('NotFound');
  });

  it('creates, reads, updates, patches and deletes over HTTP with real Status errors', async () => {
    const created = await request(server.url)
      .post(VMS)
      .set(auth)
      .send(sampleClaim('web-1'));
    expect(created.status).toBe(201);
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/);
    const again = await request(server.url)
      .post(VMS)
      .set(auth)
      .send(sampleClaim('web-1'));
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');

    const missing = await request(server.url).get(`${VMS}/nope`).set(auth);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'virtualmachines.sankofa.io "nope" not found',
      details: { name: 'nope', group: 'sankofa.io', kind: 'virtualmachines' },
      code: 404,
    });

    const bad = await request(server.url)
      .post(VMS)
      .set(auth)
      .send({ ...sampleClaim('Bad Name') });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.details.causes[0]).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
    });

    const got = await request(server.url).get(`${VMS}/web-1`).set(auth);
    const noRv = {
      ...got.body,
      metadata: { ...got.body.metadata, resourceVersion: undefined },
    };
    const rvMissing = await request(server.url)
      .put(`${VMS}/web-1`)
      .set(auth)
      .send(noRv);
    expect(rvMissing.status).toBe(422);
    const updated = await request(server.url)
      .put(`${VMS}/web-1`)
      .set(auth)
      .send({
        ...got.body,
        spec: { ...got.body.spec, cpu: 4 },
        status: { vmId: 7 },
      });
    expect(updated.status).toBe(200);
    expect(updated.body.metadata.generation).toBe(2);
    expect(updated.body.status).toBeUndefined();
    const stale = await request(server.url)
      .put(`${VMS}/web-1`)
      .set(auth)
      .send(got.body);
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');

    const status = await request(server.url)
      .put(`${VMS}/web-1/status`)
      .set(auth)
      .send({
        ...updated.body,
        spec: { ...updated.body.spec, cpu: 32 },
        status: { vmId: 7, node: 'pve-accra-1' },
      });
    expect(status.status).toBe(200);
    expect(status.body.status).toEqual({ vmId: 7, node: 'pve-accra-1' });
    expect(status.body.spec.cpu).toBe(4);
    expect(status.body.metadata.generation).toBe(2);

    const merge = await request(server.url)
      .patch(`${VMS}/web-1`)
      .set(auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(
        JSON.stringify({
          spec: { powerState: 'Stopped' },
          status: { vmId: 8 },
        }),
      );
    expect(merge.status).toBe(200);
    expect(merge.body.spec.powerState).toBe('Stopped');
    expect(merge.body.status.vmId).toBe(7);
    const statusPatch = await request(server.url)
      .patch(`${VMS}/web-1/status`)
      .set(auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ status: { started: false } }));
    expect(statusPatch.body.status).toEqual({
      vmId: 7,
      node: 'pve-accra-1',
      started: false,
    });
    const jsonPatch = await request(server.url)
      .patch(`${VMS}/web-1`)
      .set(auth)
      .set('Content-Type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'add', path: '/metadata/labels/tier', value: 'web' },
        ]),
      );
    expect(jsonPatch.body.metadata.labels.tier).toBe('web');
    const strategic = await request(server.url)
      .patch(`${VMS}/web-1`)
      .set(auth)
      .set('Content-Type', 'application/strategic-merge-patch+json')
      .send(JSON.stringify({ spec: { cpu: 1 } }));
    expect(strategic.status).toBe(415);
    const badType = await request(server.url)
      .patch(`${VMS}/web-1`)
      .set(auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { cpu: 'lots' } }));
    expect(badType.status).toBe(422);
    expect(badType.body.details.causes[0].field).toBe('spec.cpu');

    const notAllowed = await request(server.url)
      .post(`${VMS}/web-1`)
      .set(auth)
      .send({});
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.body.reason).toBe('MethodNotAllowed');

    const deleted = await request(server.url).delete(`${VMS}/web-1`).set(auth);
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.name).toBe('web-1');
    expect(
      (await request(server.url).get(`${VMS}/web-1`).set(auth)).status,
    ).toBe(404);
  });

  it('lists cluster-wide and pages with continue tokens', async () => {
    for (const [name, ns] of [
      ['p1', 'team-alpha'],
      ['p2', 'team-beta'],
      ['p3', 'team-beta'],
    ]) {
      await request(server.url)
        .post(`/apis/sankofa.io/v1alpha1/namespaces/${ns}/virtualmachines`)
        .set(auth)
        .send(sampleClaim(name, ns));
    }
    const names: string[] = [];
    let token = '';
    do {
      const page = await request(server.url)
        .get('/apis/sankofa.io/v1alpha1/virtualmachines')
        .query({
          limit: 2,
          labelSelector: 'sankofa.io/owner in (team-alpha,team-beta)',
          ...(token ? { continue: token } : {}),
        })
        .set(auth);
      expect(page.body.kind).toBe('VirtualMachineList');
      names.push(
        ...page.body.items.map(
          (i: any) => `${i.metadata.namespace}/${i.metadata.name}`,
        ),
      );
      token = page.body.metadata.continue ?? '';
    } while (token);
    expect(names).toEqual(['team-alpha/p1', 'team-beta/p2', 'team-beta/p3']);
    const stale = await request(server.url)
      .get('/apis/sankofa.io/v1alpha1/virtualmachines')
      .query({ limit: 1 })
      .set(auth);
    for (let i = 0; i < 35; i++) {
      server.store.patch(
        {
          apiVersion: 'sankofa.io/v1alpha1',
          kind: 'VirtualMachine',
          namespace: 'team-beta',
          name: 'p2',
        },
        { spec: { cpu: (i % 8) + 1 } },
      );
    }
    const gone = await request(server.url)
      .get('/apis/sankofa.io/v1alpha1/virtualmachines')
      .query({ limit: 1, continue: stale.body.metadata.continue })
      .set(auth);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ reason: 'Expired', code: 410 });
  });

  it('streams watch events, bookmarks, honours timeoutSeconds and reports 410 in-stream', async () => {
    const rv = server.store.resourceVersion();
    const events = await readWatch(
      `${VMS}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
      3,
      () => {
        setTimeout(() => server.store.create(sampleClaim('w-1')), 10);
        setTimeout(
          () =>
            server.store.patch(
              {
                apiVersion: 'sankofa.io/v1alpha1',
                kind: 'VirtualMachine',
                namespace: 'team-alpha',
                name: 'w-1',
              },
              { spec: { cpu: 3 } },
            ),
          20,
        );
      },
    );
    const types = events.map(e => e.type);
    expect(types.slice(0, 2)).toEqual(['ADDED', 'MODIFIED']);
    expect(types).toContain('BOOKMARK');
    const bookmark = events.find(e => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({
      kind: 'VirtualMachine',
      apiVersion: 'sankofa.io/v1alpha1',
    });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(rv),
    );

    // timeoutSeconds ends the stream by itself.
    const started = Date.now();
    const all = await readWatch(
      `${VMS}?watch=true&timeoutSeconds=1&resourceVersion=${server.store.resourceVersion()}`,
      1000,
    );
    expect(all).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const expired = await readWatch(`${VMS}?watch=1&resourceVersion=1`, 5);
    expect(expired).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
        }),
      },
    ]);
  });

  it('injects 5xx failures, latency and dropped watches', async () => {
    server.faults.failNext(2, 503);
    const first = await request(server.url).get('/api/v1/namespaces').set(auth);
    const second = await request(server.url)
      .get('/api/v1/namespaces')
      .set(auth);
    const third = await request(server.url).get('/api/v1/namespaces').set(auth);
    expect([first.status, second.status, third.status]).toEqual([
      503, 503, 200,
    ]);
    expect(first.body).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
    });
    expect(third.body.items.map((n: any) => n.metadata.name)).toContain(
      'team-alpha',
    );

    server.faults.setLatency(150);
    const t0 = Date.now();
    await request(server.url).get('/api/v1/namespaces/default').set(auth);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    server.faults.setLatency(0);

    const events = await readWatch(`/api/v1/namespaces?watch=1`, 1000, () => {
      setTimeout(() => expect(server.faults.dropWatches()).toBe(1), 50);
    });
    expect(events.every(e => e.type === 'ADDED')).toBe(true);
    expect(server.faults.openWatches()).toBe(0);
    expect(() => server.faults.failNext(1, 404)).toThrow(/5xx/);
  });

  it('serves events and namespaces on the core API', async () => {
    const ev = await request(server.url)
      .post('/api/v1/namespaces/team-alpha/events')
      .set(auth)
      .send({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: 'vm-' },
        involvedObject: {
          apiVersion: 'sankofa.io/v1alpha1',
          kind: 'VirtualMachine',
          name: 'web-9',
          namespace: 'team-alpha',
        },
        reason: 'ReconcileError',
        type: 'Warning',
        message: 'image ubuntu-24.04 is not available on tamale',
      });
    expect(ev.status).toBe(201);
    const list = await request(server.url)
      .get('/api/v1/namespaces/team-alpha/events')
      .query({ fieldSelector: 'involvedObject.name=web-9,type=Warning' })
      .set(auth);
    expect(list.body.kind).toBe('EventList');
    expect(list.body.items.map((e: any) => e.metadata.name)).toEqual([
      ev.body.metadata.name,
    ]);
    const del = await request(server.url)
      .delete(`/api/v1/namespaces/team-alpha/events/${ev.body.metadata.name}`)
      .set(auth);
    expect(del.body).toMatchObject({ kind: 'Status', status: 'Success' });
    const ns = await request(server.url)
      .post('/api/v1/namespaces')
      .set(auth)
      .send({ metadata: { name: 'team_gamma' } });
    expect(ns.status).toBe(422);
    expect(ns.body.message).toContain('RFC 1123 label');
    const nsGet = await request(server.url)
      .get('/api/v1/namespaces/team-alpha')
      .set(auth);
    expect(nsGet.body.status.phase).toBe('Active');
  });
});
