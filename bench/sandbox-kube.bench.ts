/*
 * Benchmark of the sandbox Kubernetes API server with 10,000 VMs seeded
 * (claim + composite + EnvironmentVM each). Every number is printed next to
 * a baseline measured in the same run, so results compare across machines:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/sandbox-kube.bench.ts
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  sampleClaim,
  sampleComposite,
  sampleEnvironmentVm,
} from '../packages/sandbox/src/kube/fixtures';
import { startKubeApiServer } from '../packages/sandbox/src/kube';

const VMS = 10_000;
const WATCH_EVENTS = 10_000;
const TARGET_LIST_MS = 1000;
const TARGET_RSS_BYTES = 1024 ** 3;
const TARGET_WATCH_EVENTS_PER_S = 5000;

const MIB = 1024 * 1024;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Reads a newline-delimited stream until `count` lines arrived. */
async function countLines(
  url: string,
  headers: Record<string, string>,
  count: number,
  onOpen: () => void,
) {
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  let lines = 0;
  onOpen();
  while (lines < count) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const byte of value) if (byte === 10) lines++;
  }
  await reader.cancel().catch(() => {});
  return lines;
}

async function main() {
  global.gc?.();
  const server = await startKubeApiServer({ clusterName: 'bench' });
  const { store } = server;
  const headers = { Authorization: `Bearer ${server.token}` };
  const rssBefore = process.memoryUsage().rss;

  const seedStart = process.hrtime.bigint();
  const sites = ['accra', 'kumasi', 'tamale'];
  const teams = ['team-alpha', 'team-beta', 'platform'];
  for (let i = 0; i < VMS; i++) {
    const claim = store.create(
      sampleClaim(`vm-${i}`, teams[i % 3], sites[i % 3]),
    );
    const xr = store.create(sampleComposite(claim, `x${i}`));
    store.create(sampleEnvironmentVm(xr, 1000 + i), { keepStatus: true });
  }
  const seedMs = ms(seedStart);
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;

  // LIST of one kind (10,000 EnvironmentVMs) over HTTP vs JSON.stringify of the same objects.
  const mrType = {
    apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
    kind: 'EnvironmentVM',
  };
  const objects = store.list(mrType).items;
  let stringifyMs = Infinity;
  let listMs = Infinity;
  let listItems = 0;
  for (let round = 0; round < 3; round++) {
    const s0 = process.hrtime.bigint();
    JSON.stringify({ kind: 'EnvironmentVMList', items: objects });
    stringifyMs = Math.min(stringifyMs, ms(s0));
    const l0 = process.hrtime.bigint();
    const res = await fetch(
      `${server.url}/apis/virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1/environmentvms`,
      { headers },
    );
    const text = await res.text();
    listMs = Math.min(listMs, ms(l0));
    listItems = JSON.parse(text).items.length;
  }

  // Watch throughput: 10,000 status patches streamed to an HTTP watcher, vs
  // the same number of equally sized lines streamed by a bare node http server.
  const sampleLine = `${JSON.stringify({
    type: 'MODIFIED',
    object: objects[0],
  })}\n`;
  const raw = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let sent = 0;
    const pump = () => {
      while (sent < WATCH_EVENTS) {
        sent++;
        if (!res.write(sampleLine)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>(r => raw.listen(0, '127.0.0.1', () => r()));
  const b0 = process.hrtime.bigint();
  await countLines(
    `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`,
    {},
    WATCH_EVENTS,
    () => {},
  );
  const baselineWatchRate = WATCH_EVENTS / (ms(b0) / 1000);
  raw.close();

  const rv = store.resourceVersion();
  const w0 = process.hrtime.bigint();
  const received = await countLines(
    `${server.url}/apis/virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1/environmentvms?watch=1&resourceVersion=${rv}`,
    headers,
    WATCH_EVENTS,
    () => {
      let i = 0;
      const batch = () => {
        for (let n = 0; n < 500 && i < WATCH_EVENTS; n++, i++) {
          store.patch(
            { ...mrType, name: `vm-${i}-x${i}-vm` },
            { status: { atProvider: { vmId: 1000 + i, started: true } } },
            { subresource: 'status' },
          );
        }
        if (i < WATCH_EVENTS) setImmediate(batch);
      };
      batch();
    },
  );
  const watchRate = received / (ms(w0) / 1000);
  await server.close();

  const rows = [
    {
      metric: `LIST ${listItems} EnvironmentVMs over HTTP`,
      value: `${listMs.toFixed(1)} ms`,
      baseline: `JSON.stringify same objects ${stringifyMs.toFixed(1)} ms`,
      ratio: listMs / stringifyMs,
      pass: listMs < TARGET_LIST_MS && listItems === VMS,
      target: `< ${TARGET_LIST_MS} ms`,
    },
    {
      metric: `watch events/s (${received} events)`,
      value: watchRate.toFixed(0),
      baseline: `bare http stream ${baselineWatchRate.toFixed(0)}/s`,
      ratio: watchRate / baselineWatchRate,
      pass: watchRate >= TARGET_WATCH_EVENTS_PER_S && received === WATCH_EVENTS,
      target: `>= ${TARGET_WATCH_EVENTS_PER_S}/s`,
    },
    {
      metric: `RSS after seeding ${store.types().length} kinds, ${
        VMS * 3
      } objects (seed ${(seedMs / 1000).toFixed(1)} s)`,
      value: `${(rssAfter / MIB).toFixed(0)} MiB`,
      baseline: `RSS before seeding ${(rssBefore / MIB).toFixed(0)} MiB`,
      ratio: rssAfter / rssBefore,
      pass: rssAfter < TARGET_RSS_BYTES,
      target: '< 1024 MiB',
    },
  ];
  for (const r of rows) {
    console.log(
      `${r.pass ? 'PASS' : 'FAIL'}  ${r.metric}: ${r.value} | baseline ${
        r.baseline
      } | ratio ${r.ratio.toFixed(2)} | target ${r.target}`,
    );
  }
  if (rows.some(r => !r.pass)) process.exitCode = 1;
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
