import type { SankofaSettings } from '../config';

/** Request facts shown as the PR body's table; values kept to one line. */
export function requestDetails(
  details: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(details).map(([k, v]) => [k, v.replace(/\s+/g, ' ')]),
  );
}

/** The VM's page in the portal, when app.baseUrl is known. */
export function portalEntityUrl(
  settings: SankofaSettings,
  namespace: string,
  name: string,
): string | undefined {
  return settings.portalBaseUrl
    ? `${settings.portalBaseUrl.replace(
        /\/+$/,
        '',
      )}/catalog/${namespace}/resource/${name}`
    : undefined;
}
