/*
 * The plugin end to end against the sandbox Kubernetes API: a real HTTP server, real client-node
 * informers, the sandbox's Crossplane/Proxmox reconciler producing the chains and failures.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import {
  CrossplaneReconciler,
  DEFAULT_SITES,
  KubeApiServer,
  SiteConditions,
  crdsFromXrd,
  loadSandboxCrds,
  readXrdFile,
  findRepoRoot,
  sampleClaim,
  startKubeApiServer,
} from '@sankofa/sandbox';
import request from 'supertest';
import path from 'node:path';
import { VmStatusDocument } from '@sankofa/plugin-sankofa-common';
import { sankofaPlugin } from './plugin';

const TEAM_OF: Record<string, string> = {
  'user:default/kofi': 'team-alpha',
  'user:default/yaw': 'team-beta',
};
const KOFI = mockCredentials.user.header('user:default/kofi');
const YAW = mockCredentials.user.header('user:default/yaw');

function vmEntity(
  name: string,
  claim: string,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'team-alpha',
      annotations: { 'sankofa.io/vm-claim': claim, ...extra },
    },
    spec: { type: 'virtual-machine', owner: 'group:default/team-alpha' },
  };
}

/** Crossplane v2: a namespaced XR whose composed refs live in spec.crossplane.resourceRefs. */
function v2Crds() {
  const xrd: any = readXrdFile(
    path.join(findRepoRoot(), 'deploy/crossplane/definition.yaml'),
  );
  xrd.spec.group = 'v2.sankofa.io';
  xrd.metadata.name = `xvirtualmachines.v2.sankofa.io`;
  xrd.spec.scope = 'Namespaced';
  delete xrd.spec.claimNames;
  for (const v of xrd.spec.versions) {
    v.schema.openAPIV3Schema.properties.spec.properties.crossplane = {
      type: 'object',
      properties: {
        resourceRefs: {
          type: 'array',
          items: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    };
  }
  return crdsFromXrd(xrd);
}

jest.setTimeout(20_000);

describe('sankofa backend against the sandbox Kubernetes API', () => {
  let east: KubeApiServer;
  let west: KubeApiServer;
  const conditions = new SiteConditions(DEFAULT_SITES);
  let reconcilers: CrossplaneReconciler[];
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    east = await startKubeApiServer({
      clusterName: 'sankofa-east',
      crds: [...loadSandboxCrds(), ...v2Crds()],
    });
    west = await startKubeApiServer({ clusterName: 'sankofa-west' });
    reconcilers = [
      new CrossplaneReconciler({
        cluster: 'sankofa-east',
        store: east.store,
        conditions,
        provisionMs: 100,
      }),
      new CrossplaneReconciler({
        cluster: 'sankofa-west',
        store: west.store,
        conditions,
        provisionMs: 100,
      }),
    ];
    reconcilers.forEach(r => r.start());
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const user = (options.credentials.principal as any).userEntityRef;
        return requests.map((r: any) => ({
          result:
            r.resourceRef?.split(':')[1]?.split('/')[0] === TEAM_OF[user]
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
    });
    backend = await startTestBackend({
      features: [
        sankofaPlugin,
        mockServices.rootConfig.factory({
          data: {
            sankofa: {
              clusters: [
                {
                  name: 'sankofa-east',
                  url: east.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: east.token,
                  skipTLSVerify: true,
                },
                {
                  name: 'sankofa-west',
                  url: west.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: west.token,
                  skipTLSVerify: true,
                },
              ],
              claim: undefined,
              sites: [
                {
                  name: 'accra',
                  consoleUrl: 'https://pve-accra.sankofa.test:8006',
                },
              ],
            },
          },
        }),
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            vmEntity('web-1', 'sankofa-east/team-alpha/web-1', {
              'sankofa.io/pull-request':
                'http://localhost:3030/platform/sankofa-gitops/pulls/1',
            }),
            vmEntity('ubuntu-tamale', 'sankofa-west/team-alpha/ubuntu-tamale'),
            vmEntity('quota-tamale', 'sankofa-west/team-alpha/quota-tamale'),
            vmEntity(
              'offline-kumasi',
              'sankofa-east/team-alpha/offline-kumasi',
            ),
            vmEntity('not-yet', 'sankofa-east/team-alpha/not-yet'),
            vmEntity('bad-claim', 'sankofa-east/Team_Alpha/x'),
            {
              ...vmEntity('beta-vm', 'sankofa-east/team-beta/beta-vm'),
              metadata: {
                name: 'beta-vm',
                namespace: 'team-beta',
                annotations: {
                  'sankofa.io/vm-claim': 'sankofa-east/team-beta/beta-vm',
                },
              },
            },
          ],
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    reconcilers?.forEach(r => r.stop());
    await east?.close();
    await west?.close();
  });

  async function status(entityRef: string, auth = KOFI) {
    return request(backend.server)
      .get('/api/sankofa/vms/status')
      .query({ entityRef })
      .set('Authorization', auth);
  }

  async function waitFor(
    entityRef: string,
    predicate: (d: VmStatusDocument) => boolean,
    timeoutMs = 8000,
  ): Promise<VmStatusDocument> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      const res = await status(entityRef);
      last = res.body;
      if (res.status === 200 && predicate(res.body)) {
        return res.body;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(
      `timed out; last document: ${JSON.stringify(last?.rollup ?? last)}`,
    );
  }

  it('shows the v1 chain of a VM becoming Ready with Proxmox facts and a timeline', async () => {
    await waitFor(
      'resource:team-alpha/web-1',
      d => d.rollup.state === 'Pending',
    );
    east.store.create(sampleClaim('web-1', 'team-alpha', 'accra'));
    const d = await waitFor(
      'resource:team-alpha/web-1',
      x => x.rollup.state === 'Ready',
    );
    expect(d.tree).toMatchObject({
      role: 'claim',
      ready: 'True',
      children: [
        {
          role: 'composite',
          children: [
            {
              role: 'managed',
              found: true,
              ready: 'True',
              ref: { kind: 'EnvironmentVM' },
            },
          ],
        },
      ],
    });
    const vm = d.tree!.children[0].children[0];
    expect((vm.manifest as any).metadata.managedFields).toBeUndefined();
    expect(d.proxmox).toMatchObject({
      site: 'accra',
      started: true,
      node: expect.stringMatching(/^pve-accra-\d$/),
    });
    expect(d.proxmox?.ipv4[0]?.addresses[0]).toMatch(/^10\.10\./);
    expect(d.proxmox?.consoleUrl).toMatch(
      /^https:\/\/pve-accra\.sankofa\.test:8006\/\?console=kvm/,
    );
    expect(d.freshness.stale).toBe(false);
    expect(d.timeline.map(s => s.status)).toEqual([
      'done',
      'done',
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(d.events.some(e => e.reason === 'CreatedExternalResource')).toBe(
      true,
    );
  });

  it.each([
    [
      'ubuntu-tamale',
      () =>
        west.store.create(
          sampleClaim('ubuntu-tamale', 'team-alpha', 'tamale', 'ubuntu-24.04'),
        ),
      /volume 'local:import\/ubuntu-24\.04\.qcow2' does not exist/,
    ],
    [
      'quota-tamale',
      () => {
        conditions.exhaustedSites.add('tamale');
        west.store.create(sampleClaim('quota-tamale', 'team-alpha', 'tamale'));
      },
      /quota exceeded for pool 'sankofa-team-alpha' on site tamale/,
    ],
    [
      'offline-kumasi',
      () => {
        ['pve-kumasi-1', 'pve-kumasi-2', 'pve-kumasi-3'].forEach(n =>
          conditions.offlineNodes.add(n),
        );
        east.store.create(
          sampleClaim('offline-kumasi', 'team-alpha', 'kumasi'),
        );
      },
      /node 'pve-kumasi-\d' seems to be offline/,
    ],
  ])(
    'pins the EnvironmentVM ReconcileError as root cause: %s',
    async (name, create, message) => {
      create();
      const d = await waitFor(
        `resource:team-alpha/${name}`,
        x => x.rollup.state === 'Failed',
      );
      expect(d.rollup.rootCause).toMatchObject({
        resource: { kind: 'EnvironmentVM', role: 'managed' },
        conditionType: 'Synced',
        reason: 'ReconcileError',
        message: expect.stringMatching(message),
      });
      expect(
        d.events.some(
          e => e.type === 'Warning' && message.test(e.message ?? ''),
        ),
      ).toBe(true);
    },
  );

  it('follows a Crossplane v2 namespaced XR to its namespaced EnvironmentVM', async () => {
    const vm = east.store.create({
      apiVersion: 'virtualenvironmentvm.proxmoxbpg.m.crossplane.io/v1alpha1',
      kind: 'EnvironmentVM',
      metadata: {
        name: 'v2-vm-abcde',
        namespace: 'team-alpha',
        labels: { 'crossplane.io/composite': 'v2-vm' },
      },
      spec: {
        forProvider: { nodeName: 'pve-accra-2', name: 'v2-vm', vmId: 901 },
        providerConfigRef: { name: 'accra', kind: 'ProviderConfig' },
      },
    } as any);
    east.store.updateStatus({
      ...vm,
      status: {
        atProvider: { nodeName: 'pve-accra-2', vmId: 901, started: true },
        conditions: [
          {
            type: 'Synced',
            status: 'True',
            reason: 'ReconcileSuccess',
            lastTransitionTime: '2025-05-01T10:00:00Z',
          },
          {
            type: 'Ready',
            status: 'True',
            reason: 'Available',
            lastTransitionTime: '2025-05-01T10:00:00Z',
          },
        ],
      },
    } as any);
    const claimSpec = sampleClaim('v2-vm').spec as any;
    delete claimSpec.compositionRef;
    const xr = east.store.create({
      apiVersion: 'v2.sankofa.io/v1alpha1',
      kind: 'XVirtualMachine',
      metadata: {
        name: 'v2-vm',
        namespace: 'team-alpha',
        labels: { 'sankofa.io/site': 'accra' },
      },
      spec: {
        ...claimSpec,
        crossplane: {
          resourceRefs: [
            {
              apiVersion:
                'virtualenvironmentvm.proxmoxbpg.m.crossplane.io/v1alpha1',
              kind: 'EnvironmentVM',
              name: 'v2-vm-abcde',
            },
          ],
        },
      },
    } as any);
    expect((xr.spec as any).crossplane.resourceRefs).toHaveLength(1);
    east.store.updateStatus({
      ...xr,
      status: {
        conditions: [
          {
            type: 'Synced',
            status: 'True',
            reason: 'ReconcileSuccess',
            lastTransitionTime: '2025-05-01T10:00:00Z',
          },
          {
            type: 'Ready',
            status: 'True',
            reason: 'Available',
            lastTransitionTime: '2025-05-01T10:00:01Z',
          },
        ],
      },
    } as any);
    // A v2 installation configures sankofa.claim to point at its namespaced XR.
    const v2 = await startTestBackend({
      features: [
        sankofaPlugin,
        mockServices.rootConfig.factory({
          data: {
            sankofa: {
              clusters: [
                {
                  name: 'sankofa-east',
                  url: east.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: east.token,
                  skipTLSVerify: true,
                },
              ],
              claim: {
                apiVersion: 'v2.sankofa.io/v1alpha1',
                kind: 'XVirtualMachine',
                plural: 'xvirtualmachines',
                mode: 'namespacedXR',
              },
            },
          },
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        catalogServiceMock.factory({
          entities: [vmEntity('v2-vm', 'sankofa-east/team-alpha/v2-vm')],
        }),
      ],
    });
    try {
      const deadline = Date.now() + 8000;
      let body: any;
      while (Date.now() < deadline) {
        const res = await request(v2.server)
          .get('/api/sankofa/vms/status')
          .query({ entityRef: 'resource:team-alpha/v2-vm' })
          .set('Authorization', KOFI);
        body = res.body;
        if (body?.rollup?.state === 'Ready') break;
        await new Promise(r => setTimeout(r, 50));
      }
      expect(body.rollup.state).toBe('Ready');
      expect(body.tree).toMatchObject({
        role: 'composite',
        ref: { kind: 'XVirtualMachine', namespace: 'team-alpha' },
        children: [
          {
            role: 'managed',
            found: true,
            ref: { namespace: 'team-alpha', name: 'v2-vm-abcde' },
          },
        ],
      });
      expect(body.proxmox).toMatchObject({ node: 'pve-accra-2', vmId: 901 });
    } finally {
      await v2.stop();
    }
  });

  it('marks data stale while the watch is broken and recovers', async () => {
    await waitFor(
      'resource:team-alpha/web-1',
      d => d.rollup.state === 'Ready' && !d.freshness.stale,
    );
    east.faults.failNext(6, 503);
    east.faults.dropWatches();
    const stale = await waitFor(
      'resource:team-alpha/web-1',
      d => d.freshness.stale,
      4000,
    );
    expect(stale.freshness).toMatchObject({
      cluster: 'sankofa-east',
      stale: true,
      asOf: expect.any(String),
    });
    expect(stale.freshness.error).toMatch(/503/);
    // Cached data is still served while stale.
    expect(stale.rollup.state).toBe('Ready');
    const recovered = await waitFor(
      'resource:team-alpha/web-1',
      d => !d.freshness.stale,
      8000,
    );
    expect(recovered.rollup.state).toBe('Ready');
    // Changes made during the outage arrive after recovery.
    east.store.create(sampleClaim('not-yet', 'team-alpha', 'accra'));
    await waitFor(
      'resource:team-alpha/not-yet',
      d => d.rollup.state !== 'Pending',
    );
  });

  describe('route checks', () => {
    it('401 without a user token', async () => {
      const none = mockCredentials.none.header();
      const res = await request(backend.server)
        .get('/api/sankofa/vms/status')
        .query({ entityRef: 'resource:team-alpha/web-1' })
        .set('Authorization', none);
      expect(res.status).toBe(401);
      expect(
        (
          await request(backend.server)
            .get('/api/sankofa/vms')
            .set('Authorization', none)
        ).status,
      ).toBe(401);
    });

    it("403 for another team's VM", async () => {
      const res = await status('resource:team-alpha/web-1', YAW);
      expect(res.status).toBe(403);
    });

    it('404 for an unknown entity', async () => {
      const res = await status('resource:team-alpha/nope');
      expect(res.status).toBe(404);
    });

    it('400 for a bad ref, a missing entityRef or a malformed claim annotation', async () => {
      expect((await status('resource:')).status).toBe(400);
      const missing = await request(backend.server)
        .get('/api/sankofa/vms/status')
        .set('Authorization', KOFI);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/entityRef/);
      const bad = await status('resource:team-alpha/bad-claim');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/sankofa\.io\/vm-claim/);
    });

    it('fleet list: only the caller’s VMs, with filters, paging and 400 on a bad state', async () => {
      const all = await request(backend.server)
        .get('/api/sankofa/vms')
        .set('Authorization', KOFI);
      expect(all.status).toBe(200);
      expect(
        all.body.items.every((i: any) => i.namespace === 'team-alpha'),
      ).toBe(true);
      expect(all.body.items.map((i: any) => i.name)).not.toContain('beta-vm');
      const failed = await request(backend.server)
        .get('/api/sankofa/vms')
        .query({ state: 'Failed', site: 'tamale' })
        .set('Authorization', KOFI);
      expect(failed.body.items.map((i: any) => i.name).sort()).toEqual([
        'quota-tamale',
        'ubuntu-tamale',
      ]);
      expect(failed.body.items[0].rootCause.reason).toBe('ReconcileError');
      const page = await request(backend.server)
        .get('/api/sankofa/vms')
        .query({ limit: 1, offset: 1 })
        .set('Authorization', KOFI);
      expect(page.body).toMatchObject({
        offset: 1,
        limit: 1,
        totalItems: all.body.totalItems,
      });
      expect(page.body.items).toHaveLength(1);
      const bad = await request(backend.server)
        .get('/api/sankofa/vms')
        .query({ state: 'Broken' })
        .set('Authorization', KOFI);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^state:/);
      expect(
        (
          await request(backend.server)
            .get('/api/sankofa/vms')
            .set('Authorization', YAW)
        ).body.items.map((i: any) => i.name),
      ).toEqual(['beta-vm']);
    });
  });
});
