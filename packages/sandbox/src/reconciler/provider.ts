import { KubeObject } from '../kube';
import { SandboxSite, SiteConditions } from './sites';

/** What the Proxmox API would say about creating or running this VM right now. */
export type ProviderVerdict = { ok: true } | { ok: false; message: string };

/**
 * Plays the Proxmox API behind provider-proxmox-bpg: refuses what a real site would refuse, with
 * the error text the provider surfaces in its ReconcileError condition.
 */
export function judge(
  site: SandboxSite | undefined,
  mr: KubeObject,
  conditions: SiteConditions,
): ProviderVerdict {
  const forProvider = mr.spec.forProvider;
  const siteName = mr.spec.providerConfigRef?.name;
  if (!site) {
    return {
      ok: false,
      message: `cannot get referenced ProviderConfig: ProviderConfig.proxmoxbpg.crossplane.io "${siteName}" not found`,
    };
  }
  const node = forProvider.nodeName;
  if (!site.nodes.includes(node)) {
    return {
      ok: false,
      message: `create failed: async create failed: failed to create resource: received an HTTP 500 response - Reason: hostname lookup '${node}' failed - failed to get address info for: ${node}`,
    };
  }
  if (conditions.offlineNodes.has(node)) {
    return {
      ok: false,
      message: `create failed: async create failed: failed to create resource: received an HTTP 595 response - Reason: Connection refused: node '${node}' seems to be offline`,
    };
  }
  const volume: string = forProvider.disk?.[0]?.importFrom ?? '';
  const image = volume.replace(/^local:import\//, '').replace(/\.qcow2$/, '');
  if (!site.images.includes(image)) {
    return {
      ok: false,
      message: `create failed: async create failed: failed to create resource: error waiting for VM disk import: received an HTTP 500 response - Reason: volume '${volume}' does not exist`,
    };
  }
  if (conditions.exhaustedSites.has(site.name)) {
    return {
      ok: false,
      message: `create failed: async create failed: failed to create resource: received an HTTP 500 response - Reason: quota exceeded for pool 'sankofa-${mr.metadata.labels?.['crossplane.io/claim-namespace']}' on site ${site.name}: no memory left`,
    };
  }
  return { ok: true };
}

/** Picks a node for a VM that did not ask for one: stable per VM, spread across the site. */
export function placeOnNode(site: SandboxSite, vmName: string): string {
  let hash = 0;
  for (const ch of vmName) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return site.nodes[hash % site.nodes.length];
}

/** The facts Proxmox reports once the VM exists, as provider-proxmox-bpg puts them in atProvider. */
export function observedFacts(
  site: SandboxSite,
  mr: KubeObject,
  vmId: number,
): Record<string, unknown> {
  const forProvider = mr.spec.forProvider;
  const vlan = forProvider.networkDevice?.[0]?.vlanId ?? 0;
  const ip = `10.${site.subnet}.${vlan % 256}.${(vmId % 250) + 2}`;
  const mac = `BC:24:11:${hex(vmId >> 16)}:${hex(vmId >> 8)}:${hex(vmId)}`;
  return {
    id: String(vmId),
    vmId,
    nodeName: forProvider.nodeName,
    name: forProvider.name,
    started: forProvider.started,
    cpu: forProvider.cpu,
    memory: forProvider.memory,
    disk: forProvider.disk?.map((d: Record<string, unknown>) => ({
      ...d,
      fileFormat: 'raw',
      pathInDatastore: `vm-${vmId}-disk-0`,
    })),
    networkDevice: forProvider.networkDevice,
    tags: forProvider.tags,
    ipv4Addresses: forProvider.started ? [['127.0.0.1'], [ip]] : [],
    macAddresses: ['00:00:00:00:00:00', mac],
    networkInterfaceNames: ['lo', 'eth0'],
  };
}

function hex(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0').toUpperCase();
}
