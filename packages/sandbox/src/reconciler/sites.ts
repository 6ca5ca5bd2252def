/**
 * The sandbox's picture of the Proxmox sites: which cluster manages each, its nodes, the images its
 * storage holds and its console. The portal's `sankofa.sites` config describes the same sites.
 */
export interface SandboxSite {
  name: string;
  cluster: string;
  nodes: string[];
  images: string[];
  consoleUrl: string;
  /** Second octet of the site's addresses, so IPs differ between sites. */
  subnet: number;
}

export const DEFAULT_SITES: SandboxSite[] = [
  site('accra', 'sankofa-east', 10, ['debian-12', 'ubuntu-24.04']),
  site('kumasi', 'sankofa-east', 20, ['debian-12', 'ubuntu-24.04']),
  // Tamale's storage has no ubuntu-24.04 image: requesting it there fails like it would on Proxmox.
  site('tamale', 'sankofa-west', 30, ['debian-12']),
];

function site(
  name: string,
  cluster: string,
  subnet: number,
  images: string[],
): SandboxSite {
  return {
    name,
    cluster,
    subnet,
    images,
    nodes: [1, 2, 3].map(i => `pve-${name}-${i}`),
    consoleUrl: `https://pve-${name}.sankofa.example:8006`,
  };
}

/**
 * Faults a demo or test can switch on: nodes that are offline and sites whose resource pool quota
 * is exhausted. Shared by every reconciler of a sandbox.
 */
export class SiteConditions {
  readonly offlineNodes = new Set<string>();
  readonly exhaustedSites = new Set<string>();

  constructor(readonly sites: SandboxSite[] = DEFAULT_SITES) {}

  site(name: string): SandboxSite | undefined {
    return this.sites.find(s => s.name === name);
  }

  sitesOf(cluster: string): SandboxSite[] {
    return this.sites.filter(s => s.cluster === cluster);
  }
}
