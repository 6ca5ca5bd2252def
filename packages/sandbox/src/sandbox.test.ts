import { CLAIM_API } from './reconciler';
import { Sandbox, startSandbox } from './sandbox';

describe('startSandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: {
        idp: 0,
        git: 0,
        control: 0,
        clusters: { 'sankofa-east': 0, 'sankofa-west': 0 },
      },
      pollSeconds: 60,
    });
  });

  afterAll(() => sandbox?.close());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.control.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('writes a portal config that points at its clusters and Git host', () => {
    const config = sandbox.appConfig() as any;
    expect(
      config.sankofa.clusters.map((c: { name: string }) => c.name),
    ).toEqual(['sankofa-east', 'sankofa-west']);
    expect(config.sankofa.clusters[0].url).toBe(
      sandbox.clusters.get('sankofa-east')!.api.url,
    );
    expect(config.integrations.gitea[0].host).toBe(
      new URL(sandbox.git.url).host,
    );
    expect(config.integrations.gitea[0].baseUrl).toBe(sandbox.git.url);
  });

  it('seeds finished VMs across both clusters', async () => {
    const res = await control('POST', '/seed', { vms: 30 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ vms: 30, objects: 90 });
    const counts = [...sandbox.clusters.values()].map(
      c => c.api.store.list(CLAIM_API).items.length,
    );
    expect(counts[0] + counts[1]).toBe(30);
    expect(counts[1]).toBe(10); // tamale is one of three sites, on sankofa-west
  });

  it('rejects bad control input with the field and the reason', async () => {
    const seed = await control('POST', '/seed', { vms: 'many' });
    expect(seed.status).toBe(400);
    expect((await seed.json()).error).toMatch(/^vms: /);
    const faults = await control('PUT', '/faults/sites', {
      offlineNodes: 'pve-accra-1',
    });
    expect(faults.status).toBe(400);
    expect((await faults.json()).error).toMatch(/^offlineNodes: /);
    const cluster = await control('POST', '/faults/clusters/nowhere', {});
    expect(cluster.status).toBe(404);
  });

  it('makes a cluster fail on demand', async () => {
    const east = sandbox.clusters.get('sankofa-east')!.api;
    await control('POST', '/faults/clusters/sankofa-east', {
      failRequests: 1,
      status: 503,
    });
    const headers = { Authorization: `Bearer ${east.token}` };
    expect(
      (await fetch(`${east.url}/api/v1/namespaces`, { headers })).status,
    ).toBe(503);
    expect(
      (await fetch(`${east.url}/api/v1/namespaces`, { headers })).status,
    ).toBe(200);
  });
});
