import { Config } from '@backstage/config';
import { QuotaLimits, SankofaSite, SankofaSitesPolicy } from './policy';

function readQuota(config: Config): QuotaLimits {
  const quota: QuotaLimits = {};
  for (const key of [
    'maxVms',
    'maxCpu',
    'maxMemoryMiB',
    'maxDiskGiB',
  ] as const) {
    const value = config.getOptionalNumber(key);
    if (value !== undefined) {
      quota[key] = value;
    }
  }
  return quota;
}

function readSite(config: Config): SankofaSite {
  const defaultQuota = config.getOptionalConfig('defaultQuota');
  return {
    name: config.getString('name'),
    cluster: config.getString('cluster'),
    nodes: config.getStringArray('nodes'),
    images: config.getStringArray('images'),
    networks: config.getConfigArray('networks').map(n => {
      const vlans = n.getOptional<number[]>('vlans');
      return { bridge: n.getString('bridge'), ...(vlans ? { vlans } : {}) };
    }),
    sizeClasses: config.getConfigArray('sizeClasses').map(c => ({
      name: c.getString('name'),
      cpu: c.getNumber('cpu'),
      memoryMiB: c.getNumber('memoryMiB'),
      diskGiB: c.getNumber('diskGiB'),
    })),
    limits: {
      maxCpu: config.getNumber('limits.maxCpu'),
      maxMemoryMiB: config.getNumber('limits.maxMemoryMiB'),
      maxDiskGiB: config.getNumber('limits.maxDiskGiB'),
    },
    quotas: (config.getOptionalConfigArray('quotas') ?? []).map(q => ({
      group: q.getString('group'),
      ...readQuota(q),
    })),
    ...(defaultQuota ? { defaultQuota: readQuota(defaultQuota) } : {}),
  };
}

/**
 * The whole `sankofa.sites` policy (keys documented by the scaffolder module, which enforces
 * it; the backend's request form reads the same). Sites with only a `name` and `consoleUrl`
 * serve the status page alone and are skipped: a VM can be placed only where the policy is
 * complete.
 */
export function readSitesPolicy(config: Config): SankofaSitesPolicy {
  return (config.getOptionalConfigArray('sankofa.sites') ?? [])
    .filter(s => s.has('cluster'))
    .map(readSite);
}
