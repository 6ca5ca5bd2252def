import {
  CUSTOM_SIZE_CLASS,
  PlacementSite,
  PlacementValue,
  SizeClass,
  quotaLeftIssues,
} from '@sankofa/plugin-sankofa-common';

/** What the field holds while the user fills it in. */
export type PlacementDraft = Partial<PlacementValue>;

/** `accra — 3 of 10 VMs left`: the site and the first limit of the owner's quota there. */
export function siteLabel(site: PlacementSite): string {
  const { limits, used, left } = site.quota;
  if (!used) {
    return `${site.name} — quota usage unavailable`;
  }
  if (!limits || !left) {
    return `${site.name} — no quota limit`;
  }
  const parts: [number | undefined, number | undefined, string][] = [
    [left.maxVms, limits.maxVms, 'VMs'],
    [left.maxCpu, limits.maxCpu, 'CPUs'],
    [left.maxMemoryMiB, limits.maxMemoryMiB, 'MiB memory'],
    [left.maxDiskGiB, limits.maxDiskGiB, 'GiB disk'],
  ];
  const first = parts.find(([l, max]) => l !== undefined && max !== undefined);
  if (!first) {
    return `${site.name} — no quota limit`;
  }
  const text = `${site.name} — ${first[0]} of ${first[1]} ${first[2]} left`;
  // Some other resource may be what ran out while VM slots remain.
  return site.quota.exhausted && first[0]! > 0
    ? `${text}, quota used up`
    : text;
}

/** The remaining quota in full, for the chosen site. */
export function quotaDetails(site: PlacementSite, owner: string): string {
  const { limits, used, left, error, freshness } = site.quota;
  if (!used) {
    return `Quota usage of ${owner} on ${site.name} is unavailable (${error}); the request is checked when it is submitted.`;
  }
  if (!limits || !left) {
    return `${owner} has no quota limit on ${site.name}.`;
  }
  const parts = [
    [left.maxVms, limits.maxVms, 'VMs'],
    [left.maxCpu, limits.maxCpu, 'CPUs'],
    [left.maxMemoryMiB, limits.maxMemoryMiB, 'MiB memory'],
    [left.maxDiskGiB, limits.maxDiskGiB, 'GiB disk'],
  ]
    .filter(([l]) => l !== undefined)
    .map(([l, max, unit]) => `${l} of ${max} ${unit}`);
  const stale = freshness?.stale
    ? ` Counts may be out of date: cluster ${freshness.cluster} is unreachable${
        freshness.error ? ` (${freshness.error})` : ''
      }.`
    : '';
  return `${owner} has ${parts.join(', ')} left on ${
    site.name
  }, counted from the VMs running in cluster ${site.cluster}.${stale}`;
}

export function sizeLabel(c: SizeClass): string {
  return `${c.name} (${c.cpu} CPU, ${c.memoryMiB} MiB, ${c.diskGiB} GiB disk)`;
}

/** True when the size class fits in what is left of the owner's quota on the site. */
export function sizeFits(site: PlacementSite, c: SizeClass): boolean {
  return quotaLeftIssues(site, c).every(i => i.field === 'site');
}

/** Drops empty values so the JSON schema and the action see absent fields, not blanks. */
export function compact(draft: PlacementDraft): PlacementDraft {
  const custom = draft.sizeClass === CUSTOM_SIZE_CLASS;
  const out: PlacementDraft = {};
  for (const key of ['site', 'node', 'image', 'sizeClass'] as const) {
    if (draft[key]) out[key] = draft[key];
  }
  if (custom) {
    for (const key of ['cpu', 'memoryMiB', 'diskGiB'] as const) {
      if (draft[key] !== undefined && !Number.isNaN(draft[key])) {
        out[key] = draft[key];
      }
    }
  }
  if (draft.network?.bridge) {
    out.network = {
      bridge: draft.network.bridge,
      ...(draft.network.vlan !== undefined ? { vlan: draft.network.vlan } : {}),
    };
  }
  return out;
}

/**
 * The placement after choosing `site`: choices still allowed there are kept, the others fall
 * back to the site's first option (the node is reset: nodes belong to one site).
 */
export function placeOn(
  site: PlacementSite,
  previous: PlacementDraft | undefined,
): PlacementDraft {
  const keep = <T>(value: T | undefined, allowed: T[]) =>
    value !== undefined && allowed.includes(value) ? value : undefined;
  const sizes = [...site.sizeClasses.map(c => c.name), CUSTOM_SIZE_CLASS];
  const fitting = site.sizeClasses.find(c => sizeFits(site, c));
  const bridge =
    keep(
      previous?.network?.bridge,
      site.networks.map(n => n.bridge),
    ) ?? site.networks[0]?.bridge;
  const vlans = site.networks.find(n => n.bridge === bridge)?.vlans ?? [];
  return compact({
    ...previous,
    site: site.name,
    node: undefined,
    image: keep(previous?.image, site.images) ?? site.images[0],
    sizeClass:
      keep(previous?.sizeClass, sizes) ?? fitting?.name ?? CUSTOM_SIZE_CLASS,
    network: bridge
      ? { bridge, vlan: keep(previous?.network?.vlan, vlans) }
      : undefined,
  });
}
