import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';

/** One cluster the backend watches. URLs come only from configuration, never from a request. */
export interface ClusterConfig {
  name: string;
  url: string;
  authProvider: string;
  serviceAccountToken?: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

const SUPPORTED_AUTH = new Set(['serviceAccount']);

function readCluster(c: Config, where: string): ClusterConfig {
  const name = c.getString('name');
  const url = c.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${where}: cluster "${name}" has an invalid url "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${where}: cluster "${name}" url must be http(s)`);
  }
  return {
    name,
    url: url.replace(/\/+$/, ''),
    authProvider: c.getOptionalString('authProvider') ?? 'serviceAccount',
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    caData: c.getOptionalString('caData'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/**
 * Clusters from `sankofa.clusters`, else from the Kubernetes plugin's `config` cluster locator.
 * Our own list must be valid (a misconfiguration fails at startup); clusters borrowed from the
 * Kubernetes plugin with an auth provider we cannot use are skipped with a warning.
 */
export function readClusters(
  config: Config,
  logger?: LoggerService,
): ClusterConfig[] {
  const own = config.getOptionalConfigArray('sankofa.clusters');
  if (own) {
    const clusters = own.map(c => readCluster(c, 'sankofa.clusters'));
    for (const c of clusters) {
      if (!SUPPORTED_AUTH.has(c.authProvider)) {
        throw new Error(
          `sankofa.clusters: cluster "${c.name}" uses authProvider "${c.authProvider}"; only serviceAccount is supported`,
        );
      }
    }
    assertUniqueNames(clusters);
    return clusters;
  }
  const locators =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterConfig[] = [];
  for (const locator of locators) {
    if (locator.getString('type') !== 'config') {
      continue;
    }
    for (const c of locator.getOptionalConfigArray('clusters') ?? []) {
      const cluster = readCluster(c, 'kubernetes.clusterLocatorMethods');
      if (SUPPORTED_AUTH.has(cluster.authProvider)) {
        clusters.push(cluster);
      } else {
        logger?.warn(
          `sankofa: skipping Kubernetes cluster "${cluster.name}": authProvider "${cluster.authProvider}" is not supported`,
        );
      }
    }
  }
  assertUniqueNames(clusters);
  return clusters;
}

function assertUniqueNames(clusters: ClusterConfig[]) {
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c.name)) {
      throw new Error(`sankofa: cluster name "${c.name}" is configured twice`);
    }
    seen.add(c.name);
  }
}
