import { InputError } from '@backstage/errors';
import {
  PlacementPolicy,
  PlacementSite,
  QuotaUsage,
  SANKOFA_LABELS,
  SankofaSite,
  SankofaSitesPolicy,
  SiteQuotaStatus,
  parseOwnerGroup,
  quotaFor,
  quotaLeft,
} from '@sankofa/plugin-sankofa-common';
import { ClusterView, ClusterViews, KubeObject } from '../cluster/types';
import { ClaimApi } from '../status/api';

/**
 * The placement policy a template form offers: the sites of `sankofa.sites` and, for one owner
 * group, its quota used and left on each.
 *
 * Usage is counted live from the claims in each site cluster's watch cache (label
 * `sankofa.io/owner` = group, and the site), not from the GitOps repository the
 * `sankofa:vm:create` action counts. The form asks on every owner change, so it must be served
 * from memory: cloning or listing the repo per keystroke would be slow and spend the Git host's
 * rate limit. The two counts differ only in flight: a merged claim ArgoCD has not synced yet is
 * in the repo but not in the cluster, and a removed claim still finalising is in the cluster but
 * not in the repo. The form's numbers are therefore guidance; the action's repo count, taken when
 * the request is rendered, is what enforces the quota.
 */
export class PlacementPolicyService {
  constructor(
    private readonly options: {
      sites: SankofaSitesPolicy;
      views: ClusterViews;
      api: Pick<ClaimApi, 'apiVersion' | 'kind'>;
      now?: () => Date;
    },
  ) {}

  /** `owner` is a group name or reference (`group:default/team-alpha`), as OwnerPicker yields. */
  getPolicy(owner: string): PlacementPolicy {
    let group: string;
    try {
      group = parseOwnerGroup(owner);
    } catch (e) {
      throw new InputError(`owner: ${(e as Error).message}`);
    }
    return {
      owner: group,
      sites: this.options.sites.map(site => this.siteFor(site, group)),
      generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
  }

  private siteFor(site: SankofaSite, group: string): PlacementSite {
    // Other groups' quotas are not the asker's business: only this group's is returned.
    const { quotas: _quotas, defaultQuota: _default, ...offer } = site;
    return { ...offer, quota: this.quotaStatus(site, group) };
  }

  private quotaStatus(site: SankofaSite, group: string): SiteQuotaStatus {
    const limits = quotaFor(site, group);
    const view = this.options.views.cluster(site.cluster);
    if (!view) {
      return {
        ...(limits ? { limits } : {}),
        // Unknown usage: offer the site and let the action's count decide.
        exhausted: false,
        error: `cluster ${site.cluster} of site ${site.name} is not in sankofa.clusters`,
      };
    }
    const freshness = view.freshness();
    if (!view.synced()) {
      return {
        ...(limits ? { limits } : {}),
        exhausted: false,
        freshness,
        error: `the claims of cluster ${site.cluster} are not loaded yet`,
      };
    }
    const used = this.usage(view, site, group);
    return {
      ...(limits ? { limits } : {}),
      used,
      ...quotaLeft(limits, used),
      freshness,
    };
  }

  private usage(view: ClusterView, site: SankofaSite, group: string) {
    const used: QuotaUsage = { vms: 0, cpu: 0, memoryMiB: 0, diskGiB: 0 };
    const { apiVersion, kind } = this.options.api;
    for (const claim of view.list(apiVersion, kind)) {
      const labels = claim.metadata?.labels ?? {};
      if (
        labels[SANKOFA_LABELS.owner] !== group ||
        siteOf(claim) !== site.name
      ) {
        continue;
      }
      // A claim being deleted still holds its VM until Crossplane finishes, so it counts.
      const size = sizeOf(claim, site);
      used.vms += 1;
      used.cpu += size.cpu;
      used.memoryMiB += size.memoryMiB;
      used.diskGiB += size.diskGiB;
    }
    return used;
  }
}

function siteOf(claim: KubeObject): string | undefined {
  return claim.metadata?.labels?.[SANKOFA_LABELS.site] ?? claim.spec?.site;
}

/** Explicit values win; a claim naming only a size class takes the class's values. */
function sizeOf(claim: KubeObject, site: SankofaSite) {
  const spec = claim.spec ?? {};
  const cls = site.sizeClasses.find(c => c.name === spec.sizeClass);
  const pick = (key: 'cpu' | 'memoryMiB' | 'diskGiB') =>
    typeof spec[key] === 'number' ? (spec[key] as number) : cls?.[key] ?? 0;
  return {
    cpu: pick('cpu'),
    memoryMiB: pick('memoryMiB'),
    diskGiB: pick('diskGiB'),
  };
}
