import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitHost, startGitHost } from '@sankofa/sandbox';
import { parse } from 'yaml';
import { readSankofaSettings } from '../config';
import { createMockActionContext } from '../__testUtils__/createMockActionContext';
import { KEY_ED25519, testConfigData } from '../__testUtils__/fixtures';
import { createGitopsPullRequestAction } from './gitopsPullRequest';
import { examples } from './gitopsPullRequest.examples';
import { createVmCreateAction } from './vmCreate';

let host: GitHost;
beforeAll(async () => {
  host = await startGitHost({
    port: 0,
    users: [{ login: 'platform', token: 'platform-token', admin: true }],
  });
});
afterAll(() => host?.close());

/** Fills `${{ steps.vm.output.x }}` the way the task runner would. */
function fill(value: unknown, outputs: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const m = /^\$\{\{ steps\.vm\.output\.(\w+) \}\}$/.exec(value);
    return m ? outputs[m[1]] : value.replace('http://localhost:3030', host.url);
  }
  if (Array.isArray(value)) return value.map(v => fill(v, outputs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fill(v, outputs)]),
    );
  }
  return value;
}

describe('sankofa:gitops:pullRequest examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    'runs: %s',
    async (_d, example) => {
      const config = new ConfigReader(testConfigData(host.url));
      const settings = readSankofaSettings(config);
      const integrations = ScmIntegrations.fromConfig(config);
      const reader = UrlReaders.default({
        config,
        logger: mockServices.logger.mock(),
      });
      const create = createVmCreateAction({ settings, integrations, reader });
      const pr = createGitopsPullRequestAction({ settings, integrations });

      const vmCtx = createMockActionContext({
        input: {
          name: 'web-1',
          owner: 'team-alpha',
          site: 'accra',
          image: 'debian-12',
          sizeClass: 'small',
          network: { bridge: 'vmbr0' },
          sshKeys: [KEY_ED25519],
        } as any,
      });
      await create.handler(vmCtx as any);
      for (const step of parse(example.example).steps) {
        const ctx = createMockActionContext({
          workspacePath: vmCtx.workspacePath,
          input: fill(step.input, vmCtx.outputs) as any,
        });
        await pr.handler(ctx as any);
        expect(ctx.outputs.pullRequestUrl).toMatch(/\/pulls\/\d+$/);
      }
      // Both examples name the same branch: the second updates the first one's PR.
      expect(host.listPulls('platform', 'sankofa-gitops')).toHaveLength(1);
    },
  );
});
