import express from 'express';
import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { seedVms } from './reconciler';
import type { Sandbox } from './sandbox';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const MAX_SEED = 20_000;

/**
 * The sandbox's own control API (loopback only): ArgoCD "Refresh", site faults, Kubernetes API
 * faults, and seeding demo VMs.
 */
export async function startControlServer(
  sandbox: Sandbox,
  port: number,
): Promise<ControlServer> {
  const app = express();
  app.use(express.json());

  app.post('/refresh', async (_req, res) => {
    await Promise.all(
      [...sandbox.clusters.values()].map(c => c.argocd.refresh()),
    );
    res.json({ refreshed: [...sandbox.clusters.keys()] });
  });

  app.post('/seed', (req, res) => {
    const vms = Number(req.body?.vms);
    if (!Number.isInteger(vms) || vms < 1 || vms > MAX_SEED) {
      res
        .status(400)
        .json({ error: `vms: must be an integer from 1 to ${MAX_SEED}` });
      return;
    }
    const stores = new Map(
      [...sandbox.clusters].map(([name, c]) => [name, c.api.store]),
    );
    const prefix = `seed-${Date.now().toString(36)}`;
    const objects = seedVms(stores, sandbox.conditions.sites, vms, { prefix });
    res.json({ vms, objects, prefix });
  });

  // Site faults: {"offlineNodes": ["pve-accra-2"], "exhaustedSites": ["tamale"]} replaces the sets.
  app.put('/faults/sites', (req, res) => {
    const { offlineNodes, exhaustedSites } = req.body ?? {};
    for (const [field, value] of Object.entries({
      offlineNodes,
      exhaustedSites,
    })) {
      if (
        value !== undefined &&
        !(Array.isArray(value) && value.every(v => typeof v === 'string'))
      ) {
        res.status(400).json({ error: `${field}: must be a list of names` });
        return;
      }
    }
    replace(sandbox.conditions.offlineNodes, offlineNodes);
    replace(sandbox.conditions.exhaustedSites, exhaustedSites);
    for (const c of sandbox.clusters.values()) c.crossplane.reconcileAll();
    res.json({
      offlineNodes: [...sandbox.conditions.offlineNodes],
      exhaustedSites: [...sandbox.conditions.exhaustedSites],
    });
  });

  // Kubernetes API faults for reliability tests: {"failRequests": 3, "status": 503, "latencyMs": 200, "dropWatches": true}
  app.post('/faults/clusters/:cluster', (req, res) => {
    const cluster = sandbox.clusters.get(req.params.cluster);
    if (!cluster) {
      res
        .status(404)
        .json({ error: `cluster: unknown cluster "${req.params.cluster}"` });
      return;
    }
    const faults = cluster.api.faults;
    const { failRequests, status, latencyMs, dropWatches } = req.body ?? {};
    if (failRequests !== undefined)
      faults.failNext(Number(failRequests), Number(status ?? 503));
    if (latencyMs !== undefined) faults.setLatency(Number(latencyMs));
    if (dropWatches) faults.dropWatches();
    res.json({ cluster: req.params.cluster, applied: req.body ?? {} });
  });

  // Git host faults: {"failRequests": 2, "status": 502, "latencyMs": 100, "pathPrefix": "/api/v1"}
  app.post('/faults/git', (req, res) => {
    const { failRequests, status, latencyMs, pathPrefix } = req.body ?? {};
    if (failRequests !== undefined) {
      sandbox.git.faults.failNext(Number(failRequests), {
        status: Number(status ?? 503),
        pathPrefix,
      });
    }
    if (latencyMs !== undefined)
      sandbox.git.faults.setLatency(Number(latencyMs));
    res.json({ applied: req.body ?? {} });
  });

  const server = app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

function replace(set: Set<string>, values?: string[]) {
  if (!values) return;
  set.clear();
  for (const v of values) set.add(v);
}
