import {
  ArgoCdFacts,
  NicAddresses,
  ProxmoxFacts,
  SANKOFA_LABELS,
  StatusEvent,
  StatusNode,
} from '@sankofa/plugin-sankofa-common';
import { ClusterView, KubeObject } from '../cluster/types';
import { toIso } from './objects';
import { walk } from './tree';

/** The per-site settings the status page needs (from `sankofa.sites`). */
export interface SiteConsole {
  name: string;
  /** Base URL of the site's Proxmox web UI, e.g. https://pve-accra.example.org:8006 */
  consoleUrl?: string;
}

export function findManagedVm(
  tree: StatusNode | undefined,
): StatusNode | undefined {
  let vm: StatusNode | undefined;
  if (tree) {
    walk(tree, node => {
      if (
        !vm &&
        node.role === 'managed' &&
        node.found &&
        node.ref.kind === 'EnvironmentVM'
      ) {
        vm = node;
      }
    });
  }
  return vm;
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** IPv4 per NIC from the QEMU agent, without loopback. */
function ipv4PerNic(atProvider: any): NicAddresses[] {
  const addresses: unknown = atProvider?.ipv4Addresses;
  const names: unknown = atProvider?.networkInterfaceNames;
  if (!Array.isArray(addresses)) {
    return [];
  }
  const result: NicAddresses[] = [];
  addresses.forEach((list, i) => {
    const name =
      Array.isArray(names) && typeof names[i] === 'string'
        ? names[i]
        : `nic${i}`;
    const ips = (Array.isArray(list) ? list : [])
      .filter((a): a is string => typeof a === 'string')
      .filter(a => !a.startsWith('127.'));
    if (name !== 'lo' && ips.length > 0) {
      result.push({ interface: name, addresses: ips });
    }
  });
  return result;
}

/** Proxmox's noVNC console for one VM on one node. */
export function consoleLink(
  base: string,
  node: string,
  vmId: number,
  vmName?: string,
): string {
  const url = new URL(base);
  url.pathname = '/';
  url.search = '';
  url.searchParams.set('console', 'kvm');
  url.searchParams.set('novnc', '1');
  url.searchParams.set('vmid', String(vmId));
  if (vmName) {
    url.searchParams.set('vmname', vmName);
  }
  url.searchParams.set('node', node);
  url.searchParams.set('resize', 'off');
  return url.toString();
}

export function proxmoxFacts(
  tree: StatusNode | undefined,
  sites: SiteConsole[],
): ProxmoxFacts | undefined {
  if (!tree) {
    return undefined;
  }
  const top = tree.manifest as any;
  const site: string | undefined =
    top?.metadata?.labels?.[SANKOFA_LABELS.site] ?? top?.spec?.site;
  const vm = findManagedVm(tree);
  const spec = (vm?.manifest as any)?.spec?.forProvider ?? {};
  const at = (vm?.manifest as any)?.status?.atProvider ?? {};
  const node: string | undefined = at.nodeName || spec.nodeName || undefined;
  const vmId = toNumber(at.vmId) ?? toNumber(spec.vmId);
  const facts: ProxmoxFacts = {
    ...(site ? { site } : {}),
    ...(node ? { node } : {}),
    ...(vmId !== undefined ? { vmId } : {}),
    ...(typeof at.started === 'boolean' ? { started: at.started } : {}),
    ipv4: ipv4PerNic(at),
  };
  const base = sites.find(s => s.name === site)?.consoleUrl;
  if (base && node && vmId !== undefined) {
    facts.consoleUrl = consoleLink(base, node, vmId, at.name ?? spec.name);
  }
  return facts;
}

export function argoCdFacts(
  app: KubeObject | undefined,
  claim: { kind: string; namespace: string; name: string },
): ArgoCdFacts | undefined {
  if (!app) {
    return undefined;
  }
  const status = app.status ?? {};
  const op = status.operationState;
  const resources: any[] = Array.isArray(status.resources)
    ? status.resources
    : [];
  const claimResource = resources.find(
    r =>
      r?.kind === claim.kind &&
      r?.namespace === claim.namespace &&
      r?.name === claim.name,
  );
  return {
    application: {
      name: app.metadata?.name ?? '',
      namespace: app.metadata?.namespace ?? '',
    },
    ...(status.sync?.status ? { sync: String(status.sync.status) } : {}),
    ...(status.health?.status ? { health: String(status.health.status) } : {}),
    ...(status.sync?.revision
      ? { revision: String(status.sync.revision) }
      : {}),
    ...(claimResource?.status
      ? { claimSync: String(claimResource.status) }
      : {}),
    ...(op
      ? {
          lastOperation: {
            phase: op.phase,
            message: op.message,
            startedAt: toIso(op.startedAt),
            finishedAt: toIso(op.finishedAt),
            revision: op.syncResult?.revision,
          },
        }
      : {}),
  };
}

const MAX_EVENTS = 50;

/** Events of every object in the chain, newest first. */
export function chainEvents(
  view: ClusterView,
  tree: StatusNode | undefined,
): StatusEvent[] {
  if (!tree) {
    return [];
  }
  const events: StatusEvent[] = [];
  walk(tree, node => {
    const uid = (node.manifest as any)?.metadata?.uid;
    if (!uid) {
      return;
    }
    for (const e of view.eventsFor(uid)) {
      const io: any = e.involvedObject ?? {};
      events.push({
        type: String(e.type ?? 'Normal'),
        reason: e.reason as string | undefined,
        message: e.message as string | undefined,
        count: typeof e.count === 'number' ? e.count : undefined,
        firstTimestamp: toIso(e.firstTimestamp) ?? toIso(e.eventTime),
        lastTimestamp:
          toIso(e.lastTimestamp) ??
          toIso(e.eventTime) ??
          toIso(e.metadata?.creationTimestamp),
        involvedObject: {
          apiVersion: io.apiVersion ?? node.ref.apiVersion,
          kind: io.kind ?? node.ref.kind,
          name: io.name ?? node.ref.name,
          ...(io.namespace ? { namespace: io.namespace } : {}),
        },
      });
    }
  });
  events.sort((a, b) =>
    (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
  );
  return events.slice(0, MAX_EVENTS);
}
