/*
 * GET /api/sankofa/policy end to end: the plugin's watch caches fed by the sandbox Kubernetes API,
 * quota counted from the claims there.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubeApiServer, startKubeApiServer } from '@sankofa/sandbox';
import { PlacementPolicy } from '@sankofa/plugin-sankofa-common';
import request from 'supertest';
import { sankofaPlugin } from '../plugin';

const KOFI = mockCredentials.user.header('user:default/kofi');

const sizeClasses = [
  { name: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 },
  { name: 'medium', cpu: 4, memoryMiB: 8192, diskGiB: 50 },
];
const limits = { maxCpu: 16, maxMemoryMiB: 65536, maxDiskGiB: 500 };
const networks = [{ bridge: 'vmbr0', vlans: [10, 20] }];

function site(name: string, cluster: string, extra: object) {
  return {
    name,
    cluster,
    consoleUrl: `https://pve-${name}.sankofa.test:8006`,
    nodes: [`pve-${name}-1`, `pve-${name}-2`],
    images: ['debian-12'],
    networks,
    sizeClasses,
    limits,
    ...extra,
  };
}

function claim(
  name: string,
  owner: string,
  siteName: string,
  size: { sizeClass: string; cpu: number; memoryMiB: number; diskGiB: number },
) {
  return {
    apiVersion: 'sankofa.io/v1alpha1',
    kind: 'VirtualMachine',
    metadata: {
      name,
      namespace: owner,
      labels: { 'sankofa.io/owner': owner, 'sankofa.io/site': siteName },
    },
    spec: {
      site: siteName,
      image: 'debian-12',
      ...size,
      network: { bridge: 'vmbr0', vlan: 10 },
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMsankofa kofi@sankofa'],
      powerState: 'Running',
    },
  } as any;
}

const SMALL = { sizeClass: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 };
const CUSTOM = { sizeClass: 'custom', cpu: 3, memoryMiB: 4096, diskGiB: 40 };

jest.setTimeout(20_000);

describe('GET /api/sankofa/policy', () => {
  let east: KubeApiServer;
  let west: KubeApiServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    east = await startKubeApiServer({ clusterName: 'sankofa-east' });
    west = await startKubeApiServer({ clusterName: 'sankofa-west' });
    // Present before the backend starts: counted from the initial list.
    east.store.create(claim('a1', 'team-alpha', 'accra', SMALL));
    east.store.create(claim('a2', 'team-alpha', 'accra', CUSTOM));
    east.store.create(claim('b1', 'team-beta', 'accra', SMALL));
    east.store.create(claim('k1', 'team-alpha', 'kumasi', SMALL));
    west.store.create(claim('t1', 'team-beta', 'tamale', SMALL));
    backend = await startTestBackend({
      features: [
        sankofaPlugin,
        mockServices.rootConfig.factory({
          data: {
            sankofa: {
              clusters: [east, west].map(k => ({
                name: k === east ? 'sankofa-east' : 'sankofa-west',
                url: k.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: k.token,
                skipTLSVerify: true,
              })),
              sites: [
                site('accra', 'sankofa-east', {
                  quotas: [
                    { group: 'team-alpha', maxVms: 4, maxCpu: 8 },
                    { group: 'team-beta', maxVms: 1 },
                  ],
                  defaultQuota: { maxVms: 20 },
                }),
                site('kumasi', 'sankofa-east', {
                  quotas: [{ group: 'team-alpha', maxVms: 1 }],
                }),
                site('tamale', 'sankofa-west', {
                  defaultQuota: { maxVms: 5, maxMemoryMiB: 8192 },
                }),
                site('volta', 'sankofa-nowhere', {}),
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await east?.close();
    await west?.close();
  });

  function policy(owner: string | undefined, auth = KOFI) {
    const req = request(backend.server)
      .get('/api/sankofa/policy')
      .set('Authorization', auth);
    return owner === undefined ? req : req.query({ owner });
  }

  /** Polls until the caches have listed (the plugin does not await its informers). */
  async function waitForPolicy(
    owner: string,
    predicate: (p: PlacementPolicy) => boolean,
  ): Promise<PlacementPolicy> {
    const deadline = Date.now() + 8000;
    let last: any;
    while (Date.now() < deadline) {
      const res = await policy(owner);
      expect(res.status).toBe(200);
      last = res.body;
      if (predicate(res.body)) {
        return res.body;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`timed out; last: ${JSON.stringify(last)}`);
  }

  const counted = (p: PlacementPolicy) =>
    p.sites.filter(s => s.quota.used).length === 3;

  it('offers the sites with the group’s quota used and left, counted from the cluster', async () => {
    const p = await waitForPolicy('group:default/team-alpha', counted);
    expect(p.owner).toBe('team-alpha');
    expect(p.sites.map(s => s.name)).toEqual([
      'accra',
      'kumasi',
      'tamale',
      'volta',
    ]);
    const [accra, kumasi, tamale, volta] = p.sites;
    expect(accra).toMatchObject({
      cluster: 'sankofa-east',
      nodes: ['pve-accra-1', 'pve-accra-2'],
      images: ['debian-12'],
      networks,
      sizeClasses,
      limits,
      quota: {
        limits: { maxVms: 4, maxCpu: 8 },
        // a1 (small) + a2 (custom 3 CPU); team-beta's b1 and kumasi's k1 are not counted.
        used: { vms: 2, cpu: 5, memoryMiB: 6144, diskGiB: 60 },
        left: { maxVms: 2, maxCpu: 3 },
        exhausted: false,
        freshness: { cluster: 'sankofa-east', stale: false },
      },
    });
    // Nothing of other groups' quotas or the console URL leaks.
    expect(Object.keys(accra).sort()).toEqual(
      [
        'cluster',
        'images',
        'limits',
        'name',
        'networks',
        'nodes',
        'quota',
        'sizeClasses',
      ].sort(),
    );
    expect(JSON.stringify(p)).not.toContain('team-beta');
    expect(kumasi.quota).toMatchObject({
      used: { vms: 1 },
      left: { maxVms: 0 },
      exhausted: true,
    });
    // The default quota applies to a group not listed.
    expect(tamale.quota).toMatchObject({
      limits: { maxVms: 5, maxMemoryMiB: 8192 },
      used: { vms: 0, cpu: 0, memoryMiB: 0, diskGiB: 0 },
      left: { maxVms: 5, maxMemoryMiB: 8192 },
      exhausted: false,
    });
    // A site whose cluster is not watched is offered without counts, saying why.
    expect(volta.quota).toEqual({
      exhausted: false,
      error: 'cluster sankofa-nowhere of site volta is not in sankofa.clusters',
    });
  });

  it('counts live: a claim synced into the cluster changes what is left', async () => {
    await waitForPolicy('team-beta', counted);
    west.store.create(claim('t2', 'team-beta', 'tamale', SMALL));
    const p = await waitForPolicy(
      'team-beta',
      x => x.sites[2].quota.used?.vms === 2,
    );
    expect(p.sites[2].quota).toMatchObject({
      used: { vms: 2, cpu: 4, memoryMiB: 4096, diskGiB: 40 },
      left: { maxVms: 3, maxMemoryMiB: 4096 },
    });
    // team-beta's own quota on accra (1 VM) is used up by b1.
    expect(p.sites[0].quota).toMatchObject({
      limits: { maxVms: 1 },
      left: { maxVms: 0 },
      exhausted: true,
    });
  });

  it('401 without a user token', async () => {
    const res = await policy('team-alpha', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it.each([
    ['user:default/kofi', /^owner: must reference a Group, not a user/],
    ['group:other/team-alpha', /^owner: must be a group in the default/],
    ['group:default/Team_Alpha', /^owner: the group name must be a DNS-1123/],
    [undefined, /^owner: /],
  ])('400 naming the field for owner %s', async (owner, message) => {
    const res = await policy(owner);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });
});
