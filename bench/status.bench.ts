/*
 * Benchmark of the VM status service with 10,000 VMs seeded in a sandbox cluster. The backend
 * reads from its informer cache; the baseline is the naive walk (one GET per ref, plus an event
 * list) against the same API server in the same run. A counting proxy in front of the API server
 * counts every Kubernetes request on the wire.
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/status.bench.ts
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DEFAULT_SITES, seedVms, startKubeApiServer } from '@sankofa/sandbox';
import { ClusterWatchCache } from '../plugins/sankofa-backend/src/cluster/ClusterWatchCache';
import { watchedKinds } from '../plugins/sankofa-backend/src/cluster/watchedKinds';
import { DEFAULT_CLAIM_API } from '../plugins/sankofa-backend/src/status/api';
import { VmStatusService } from '../plugins/sankofa-backend/src/status/VmStatusService';
import { createRouter } from '../plugins/sankofa-backend/src/router';
import { PlacementPolicyService } from '../plugins/sankofa-backend/src/policy/PlacementPolicyService';

const VMS = Number(process.env.BENCH_VMS ?? 10_000);
const PAGE_VIEWS = 500;
const CLUSTER = 'sankofa-east';
const TARGET_P95_MS = 50;
const TARGET_REQUESTS_PER_VIEW = 1;
const TARGET_FLEET_MS = 1000;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))
  ];

/** Forwards everything to the API server and counts requests (lists, gets and watches alike). */
async function countingProxy(target: string) {
  const upstream = new URL(target);
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        // Watches send headers before any event; pass them on at once.
        res.flushHeaders();
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => {
      server.closeAllConnections();
      return new Promise(r => server.close(r));
    },
  };
}

async function main() {
  const kube = await startKubeApiServer({ clusterName: CLUSTER });
  const sites = DEFAULT_SITES.map(s => ({ ...s, cluster: CLUSTER }));
  let t = process.hrtime.bigint();
  seedVms(new Map([[CLUSTER, kube.store]]), sites, VMS);
  console.log(
    `seeded ${VMS} VMs (claim + composite + EnvironmentVM) in ${ms(t).toFixed(
      0,
    )} ms`,
  );

  const claims = kube.store.list({
    apiVersion: 'sankofa.io/v1alpha1',
    kind: 'VirtualMachine',
  } as any).items;
  const entities: Entity[] = claims.map((c: any) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: c.metadata.name,
      namespace: c.metadata.namespace,
      annotations: {
        'sankofa.io/vm-claim': `${CLUSTER}/${c.metadata.namespace}/${c.metadata.name}`,
      },
    },
    spec: {
      type: 'virtual-machine',
      owner: `group:default/${c.metadata.namespace}`,
    },
  }));

  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const proxy = await countingProxy(kube.url);
  const logger: any = {
    info() {},
    warn() {},
    error() {},
    debug() {},
    child: () => logger,
  };
  const cache = new ClusterWatchCache({
    cluster: {
      name: CLUSTER,
      url: proxy.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: kube.token,
      skipTLSVerify: true,
    },
    kinds: watchedKinds(DEFAULT_CLAIM_API),
    logger,
  });
  t = process.hrtime.bigint();
  await cache.start();
  for (let i = 0; !cache.synced(); i++) {
    if (i % 500 === 499)
      console.log('waiting for informers:', JSON.stringify(cache.freshness()));
    await new Promise(r => setTimeout(r, 10));
  }
  console.log(
    `informers warm in ${ms(t).toFixed(
      0,
    )} ms with ${proxy.requests()} Kubernetes requests (one list + one watch per kind)`,
  );

  const views = {
    cluster: (n: string) => (n === CLUSTER ? cache : undefined),
    clusters: () => [cache],
  };
  const service = new VmStatusService({
    views,
    api: DEFAULT_CLAIM_API,
    sites: [
      { name: 'accra', consoleUrl: 'https://pve-accra.example.org:8006' },
    ],
    // An indexed in-memory catalog: the catalog's own cost is not what this bench measures.
    catalog: {
      getEntityByRef: async (ref: string) => byRef.get(ref),
      getEntities: async () => ({ items: entities }),
    } as any,
    permissions: {
      authorize: async (reqs: unknown[]) =>
        reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
    } as any,
  });
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: 'user:default/ama' },
  } as any;
  const app = express();
  app.use(
    await createRouter({
      httpAuth: { credentials: async () => credentials } as any,
      statusService: service,
      policyService: new PlacementPolicyService({
        sites: [],
        views,
        api: DEFAULT_CLAIM_API,
      }),
    }),
  );
  const api = await new Promise<http.Server>(r => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  const sample = Array.from(
    { length: PAGE_VIEWS },
    (_, i) => claims[(i * 7919) % claims.length] as any,
  );
  // Warm the HTTP path once, then measure.
  await fetch(
    `${base}/vms/status?entityRef=resource:${sample[0].metadata.namespace}/${sample[0].metadata.name}`,
  );

  const cached: number[] = [];
  const before = proxy.requests();
  for (const c of sample) {
    const start = process.hrtime.bigint();
    const res = await fetch(
      `${base}/vms/status?entityRef=resource:${c.metadata.namespace}/${c.metadata.name}`,
    );
    const doc: any = await res.json();
    cached.push(ms(start));
    if (res.status !== 200 || doc.rollup.state !== 'Ready')
      throw new Error(
        `unexpected ${res.status} ${JSON.stringify(doc).slice(0, 200)}`,
      );
  }
  const cachedRequests = (proxy.requests() - before) / PAGE_VIEWS;

  // Baseline: walk the chain with one GET per ref, plus the events of the managed resource.
  const headers = { Authorization: `Bearer ${kube.token}` };
  const naive: number[] = [];
  const naiveBefore = proxy.requests();
  for (const c of sample) {
    const start = process.hrtime.bigint();
    const get = async (path: string) =>
      (await fetch(`${proxy.url}${path}`, { headers })).json() as any;
    const claim = await get(
      `/apis/sankofa.io/v1alpha1/namespaces/${c.metadata.namespace}/virtualmachines/${c.metadata.name}`,
    );
    const xr = await get(
      `/apis/sankofa.io/v1alpha1/xvirtualmachines/${claim.spec.resourceRef.name}`,
    );
    for (const ref of xr.spec.resourceRefs ?? []) {
      const [group, version] = ref.apiVersion.split('/');
      const mr = await get(
        `/apis/${group}/${version}/environmentvms/${ref.name}`,
      );
      await get(
        `/api/v1/events?fieldSelector=${encodeURIComponent(
          `involvedObject.uid=${mr.metadata.uid}`,
        )}`,
      );
    }
    await get(
      `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/sankofa-${CLUSTER}`,
    );
    naive.push(ms(start));
  }
  const naiveRequests = (proxy.requests() - naiveBefore) / PAGE_VIEWS;

  const fleet: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    const res = await fetch(`${base}/vms?limit=500&state=Ready`);
    const body: any = await res.json();
    fleet.push(ms(start));
    if (body.totalItems !== VMS)
      throw new Error(`fleet saw ${body.totalItems} VMs`);
  }

  const p50 = pct(cached, 50);
  const p95 = pct(cached, 95);
  const row = (name: string, xs: number[], reqs: number) =>
    `${name.padEnd(34)} p50 ${pct(xs, 50).toFixed(2).padStart(7)} ms  p95 ${pct(
      xs,
      95,
    )
      .toFixed(2)
      .padStart(7)} ms  ${reqs.toFixed(2)} k8s requests/view`;
  console.log(
    `\nGET /vms/status over ${PAGE_VIEWS} page views, ${VMS} VMs seeded:`,
  );
  console.log(row('watch cache (this plugin)', cached, cachedRequests));
  console.log(row('naive walk (one GET per ref)', naive, naiveRequests));
  console.log(
    `speed-up p50 ×${(pct(naive, 50) / p50).toFixed(
      1,
    )}, requests saved per view: ${(naiveRequests - cachedRequests).toFixed(
      2,
    )}`,
  );
  console.log(
    `GET /vms (fleet of ${VMS}, filter state=Ready, page of 500): p50 ${pct(
      fleet,
      50,
    ).toFixed(0)} ms, max ${Math.max(...fleet).toFixed(0)} ms`,
  );

  const failures = [
    p95 > TARGET_P95_MS && `p95 ${p95.toFixed(1)} ms > ${TARGET_P95_MS} ms`,
    cachedRequests > TARGET_REQUESTS_PER_VIEW &&
      `${cachedRequests} requests per view > ${TARGET_REQUESTS_PER_VIEW}`,
    Math.max(...fleet) > TARGET_FLEET_MS &&
      `fleet ${Math.max(...fleet).toFixed(0)} ms > ${TARGET_FLEET_MS} ms`,
  ].filter(Boolean);
  console.log(
    failures.length
      ? `FAIL: ${failures.join('; ')}`
      : `PASS: p95 ≤ ${TARGET_P95_MS} ms, ≤ ${TARGET_REQUESTS_PER_VIEW} request/view, fleet < ${TARGET_FLEET_MS} ms`,
  );

  api.close();
  await cache.stop();
  await proxy.close();
  await kube.close();
  process.exit(failures.length ? 1 : 0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
