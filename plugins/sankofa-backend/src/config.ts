import { Config } from '@backstage/config';
import { ClaimApi, DEFAULT_CLAIM_API } from './status/api';
import { SiteConsole } from './status/facts';

/** `sankofa.claim`: which Crossplane API the entities' claims use (default: our XRD's claim). */
export function readClaimApi(config: Config): ClaimApi {
  const c = config.getOptionalConfig('sankofa.claim');
  if (!c) {
    return DEFAULT_CLAIM_API;
  }
  const mode = c.getOptionalString('mode') ?? 'claim';
  if (mode !== 'claim' && mode !== 'namespacedXR') {
    throw new Error(
      `sankofa.claim.mode must be claim or namespacedXR, got "${mode}"`,
    );
  }
  return {
    ...DEFAULT_CLAIM_API,
    apiVersion:
      c.getOptionalString('apiVersion') ?? DEFAULT_CLAIM_API.apiVersion,
    kind: c.getOptionalString('kind') ?? DEFAULT_CLAIM_API.kind,
    plural: c.getOptionalString('plural') ?? DEFAULT_CLAIM_API.plural,
    mode,
    ...(mode === 'namespacedXR' ? { composite: undefined } : {}),
  };
}

/** The console base URL of each site in `sankofa.sites` (other site keys belong to other plugins). */
export function readSiteConsoles(config: Config): SiteConsole[] {
  return (config.getOptionalConfigArray('sankofa.sites') ?? []).map(s => {
    const name = s.getString('name');
    const consoleUrl = s.getOptionalString('consoleUrl');
    if (consoleUrl) {
      const protocol = (() => {
        try {
          return new URL(consoleUrl).protocol;
        } catch {
          return undefined;
        }
      })();
      if (protocol !== 'https:' && protocol !== 'http:') {
        throw new Error(
          `sankofa.sites: site "${name}" has an invalid consoleUrl "${consoleUrl}"`,
        );
      }
    }
    return { name, ...(consoleUrl ? { consoleUrl } : {}) };
  });
}
