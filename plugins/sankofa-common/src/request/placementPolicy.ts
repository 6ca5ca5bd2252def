import type { Freshness } from '../status';
import {
  CUSTOM_SIZE_CLASS,
  QuotaLimits,
  SankofaSite,
  SiteLimits,
  SiteNetwork,
  SizeClass,
} from './policy';
import {
  PlacementInput,
  VmRequestIssue,
  VmUsage,
  XRD_RANGES,
  checkPlacement,
} from './vmRequest';

/**
 * `GET /api/sankofa/policy?owner=`: the sites a VM may be requested on, as a template form
 * needs them, with the owner group's quota on each.
 */
export interface PlacementPolicy {
  /** The owner group's name (the claim namespace). */
  owner: string;
  sites: PlacementSite[];
  generatedAt: string;
}

/** A site of `sankofa.sites` without the other groups' quotas. */
export interface PlacementSite {
  name: string;
  cluster: string;
  nodes: string[];
  images: string[];
  networks: SiteNetwork[];
  sizeClasses: SizeClass[];
  limits: SiteLimits;
  quota: SiteQuotaStatus;
}

/** What one group holds on one site. */
export interface QuotaUsage extends VmUsage {
  vms: number;
}

export interface SiteQuotaStatus {
  /** The group's quota on the site; absent when the group is unlimited there. */
  limits?: QuotaLimits;
  /** What the group's claims hold now; absent when the site's cluster cannot be read. */
  used?: QuotaUsage;
  /** `limits` minus `used`, never negative, for the limited keys only. */
  left?: QuotaLimits;
  /** True when not even the smallest VM fits any more. */
  exhausted: boolean;
  /** How current `used` is (the site cluster's watch cache). */
  freshness?: Freshness;
  /** Why `used` is missing. */
  error?: string;
}

const LIMIT_OF = {
  vms: 'maxVms',
  cpu: 'maxCpu',
  memoryMiB: 'maxMemoryMiB',
  diskGiB: 'maxDiskGiB',
} as const;

/** The quota left (for limited keys) and whether a minimal VM still fits. */
export function quotaLeft(
  limits: QuotaLimits | undefined,
  used: QuotaUsage,
): Pick<SiteQuotaStatus, 'left' | 'exhausted'> {
  if (!limits) {
    return { exhausted: false };
  }
  const left: QuotaLimits = {};
  for (const key of Object.keys(LIMIT_OF) as (keyof typeof LIMIT_OF)[]) {
    const max = limits[LIMIT_OF[key]];
    if (max !== undefined) {
      left[LIMIT_OF[key]] = Math.max(0, max - used[key]);
    }
  }
  const below = (value: number | undefined, min: number) =>
    value !== undefined && value < min;
  const exhausted =
    below(left.maxVms, 1) ||
    below(left.maxCpu, XRD_RANGES.cpu.min) ||
    below(left.maxMemoryMiB, XRD_RANGES.memoryMiB.min) ||
    below(left.maxDiskGiB, XRD_RANGES.diskGiB.min);
  return { left, exhausted };
}

/** Issues when `requested` does not fit in what is left of the group's quota on the site. */
export function quotaLeftIssues(
  site: PlacementSite,
  requested: VmUsage,
): VmRequestIssue[] {
  const { left } = site.quota;
  if (!left) {
    return [];
  }
  const issues: VmRequestIssue[] = [];
  if (left.maxVms !== undefined && left.maxVms < 1) {
    issues.push({
      field: 'site',
      rule: `the group has no VMs left in its quota on site ${site.name}`,
    });
  }
  const checks = [
    ['cpu', 'maxCpu', 'CPUs'],
    ['memoryMiB', 'maxMemoryMiB', 'MiB of memory'],
    ['diskGiB', 'maxDiskGiB', 'GiB of disk'],
  ] as const;
  for (const [key, limit, unit] of checks) {
    const max = left[limit];
    if (max !== undefined && requested[key] > max) {
      issues.push({
        field: key,
        rule: `needs ${requested[key]} ${unit}; the group has ${max} left on site ${site.name}`,
      });
    }
  }
  return issues;
}

/** What a template form's placement field yields; the `sankofa:vm:create` inputs of the same names. */
export interface PlacementValue extends PlacementInput {
  site: string;
}

/**
 * Every issue of a placement against the policy: unknown site, out-of-policy node, image,
 * network or size, and (when the quota could be counted) a size beyond what is left.
 */
export function placementIssues(
  value: Partial<PlacementValue> | undefined,
  policy: PlacementPolicy,
): VmRequestIssue[] {
  const site = policy.sites.find(s => s.name === value?.site);
  if (!value || !site) {
    return [
      {
        field: 'site',
        rule: `must be one of ${policy.sites.map(s => s.name).join(', ')}`,
      },
    ];
  }
  const issues: VmRequestIssue[] = [];
  if (!value.image) {
    issues.push({ field: 'image', rule: 'is required' });
  }
  if (!value.network?.bridge) {
    issues.push({ field: 'network.bridge', rule: 'is required' });
  }
  if (issues.length > 0) {
    return issues;
  }
  const asSite: SankofaSite = { ...site };
  const size = checkPlacement(asSite, value as PlacementValue, issues);
  // Without a valid size only the VM count can be checked against the quota.
  issues.push(
    ...quotaLeftIssues(site, size ?? { cpu: 0, memoryMiB: 0, diskGiB: 0 }),
  );
  return issues;
}

/** The size classes of a site, then `custom` (explicit values). */
export function sizeClassNames(site: Pick<PlacementSite, 'sizeClasses'>) {
  return [...site.sizeClasses.map(c => c.name), CUSTOM_SIZE_CLASS];
}
