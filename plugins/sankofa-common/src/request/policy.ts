/**
 * The `sankofa.sites` policy: which Proxmox sites a VM may be requested on and within which
 * limits. The scaffolder module reads it from config; the frontend may show it in forms.
 */

/** A named size (the XRD also accepts `custom` for explicit values). */
export interface SizeClass {
  name: string;
  cpu: number;
  memoryMiB: number;
  diskGiB: number;
}

/** A Proxmox bridge a VM may attach to and the VLAN tags allowed on it. */
export interface SiteNetwork {
  bridge: string;
  /** Allowed VLAN tags; when absent or empty the VM must be untagged. */
  vlans?: number[];
}

/** Upper bounds for a single VM on the site, explicit sizes included. */
export interface SiteLimits {
  maxCpu: number;
  maxMemoryMiB: number;
  maxDiskGiB: number;
}

/** How much one owner group may hold on a site, counted from the claims in the GitOps repo. */
export interface QuotaLimits {
  maxVms?: number;
  maxCpu?: number;
  maxMemoryMiB?: number;
  maxDiskGiB?: number;
}

export interface GroupQuota extends QuotaLimits {
  group: string;
}

export interface SankofaSite {
  name: string;
  /** The cluster (from `sankofa.clusters`) whose Crossplane serves this site. */
  cluster: string;
  nodes: string[];
  images: string[];
  networks: SiteNetwork[];
  sizeClasses: SizeClass[];
  limits: SiteLimits;
  /** Per-group quotas; a group not listed gets `defaultQuota` (no limit when that is absent too). */
  quotas?: GroupQuota[];
  defaultQuota?: QuotaLimits;
}

/** The whole `sankofa.sites` list. */
export type SankofaSitesPolicy = SankofaSite[];

/** Size class name the XRD uses for explicit CPU/memory/disk values. */
export const CUSTOM_SIZE_CLASS = 'custom';

/** The quota of `group` on `site`, or undefined when the group is unlimited there. */
export function quotaFor(
  site: SankofaSite,
  group: string,
): QuotaLimits | undefined {
  return site.quotas?.find(q => q.group === group) ?? site.defaultQuota;
}
