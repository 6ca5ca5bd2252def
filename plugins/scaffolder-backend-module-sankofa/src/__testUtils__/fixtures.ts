import { ConfigReader } from '@backstage/config';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { readSankofaSettings } from '../config';

export const KEY_ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa';

const sizeClasses = [
  { name: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 },
  { name: 'medium', cpu: 4, memoryMiB: 8192, diskGiB: 50 },
  { name: 'large', cpu: 8, memoryMiB: 16384, diskGiB: 100 },
];
const site = (name: string, cluster: string, images: string[]) => ({
  name,
  cluster,
  nodes: [1, 2, 3].map(i => `pve-${name}-${i}`),
  images,
  networks: [{ bridge: 'vmbr0', vlans: [10, 20, 30] }],
  sizeClasses,
  limits: { maxCpu: 16, maxMemoryMiB: 65536, maxDiskGiB: 500 },
  quotas: [{ group: 'team-beta', maxVms: 2, maxCpu: 8 }],
  defaultQuota: { maxVms: 10 },
});

/** The same policy app-config.yaml ships for development. */
export function testConfigData(gitBaseUrl = 'http://localhost:3030') {
  const host = new URL(gitBaseUrl).host;
  return {
    app: { baseUrl: 'http://localhost:3000' },
    integrations: {
      gitea: [
        {
          host,
          baseUrl: gitBaseUrl,
          username: 'platform',
          password: 'platform-token',
        },
      ],
      github: [{ host: 'github.com', token: 'gh-token' }],
      gitlab: [
        {
          host: 'gitlab.com',
          apiBaseUrl: 'https://gitlab.com/api/v4',
          token: 'gl-token',
        },
      ],
    },
    sankofa: {
      gitops: {
        repoUrl: `${gitBaseUrl}/platform/sankofa-gitops`,
        targetBranch: 'main',
        reviewers: ['ama'],
      },
      sites: [
        site('accra', 'sankofa-east', ['debian-12', 'ubuntu-24.04']),
        site('kumasi', 'sankofa-east', ['debian-12', 'ubuntu-24.04']),
        site('tamale', 'sankofa-west', ['debian-12']),
      ],
    },
  };
}

export function testSetup(gitBaseUrl?: string) {
  const config = new ConfigReader(testConfigData(gitBaseUrl));
  return {
    config,
    settings: readSankofaSettings(config),
    integrations: ScmIntegrations.fromConfig(config),
  };
}

/** A UrlReaderService over an in-memory repository (browse URL → text). */
export function memoryReader(
  files: Record<string, string>,
): UrlReaderService & {
  files: Record<string, string>;
} {
  return {
    files,
    async readUrl(url: string) {
      if (!(url in files)) {
        throw new NotFoundError(`${url} not found`);
      }
      const buffer = Buffer.from(files[url], 'utf8');
      return { buffer: async () => buffer } as any;
    },
    async readTree() {
      throw new Error('not used');
    },
    async search() {
      throw new Error('not used');
    },
  };
}
