/*
 * Benchmark of the VM request path: sankofa:vm:create renders the claim, then
 * sankofa:gitops:pullRequest clones, commits, pushes and opens the PR on the sandbox Git host
 * (real git over smart HTTP). 50 concurrent requests must give 50 PRs with no duplicate and no
 * failure; their throughput is printed next to a same-run baseline of sequential requests, and
 * then all 50 are re-run concurrently, as retried tasks, which must still leave 50 PRs.
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scaffolder-pr.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { startGitHost } from '@sankofa/sandbox';
import { readSankofaSettings } from '../plugins/scaffolder-backend-module-sankofa/src/config';
import { createVmCreateAction } from '../plugins/scaffolder-backend-module-sankofa/src/actions/vmCreate';
import { createGitopsPullRequestAction } from '../plugins/scaffolder-backend-module-sankofa/src/actions/gitopsPullRequest';
import { testConfigData } from '../plugins/scaffolder-backend-module-sankofa/src/__testUtils__/fixtures';

const CONCURRENT = 50;
const SEQUENTIAL = 8;
const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa';

const logger: any = {
  info() {},
  warn() {},
  error(message: string) {
    process.stderr.write(`${message}\n`);
  },
  debug() {},
  child() {
    return logger;
  },
};

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-bench-'));
let counter = 0;

/** A minimal ActionContext: the real task engine's shape, without jest. */
function context(input: any, workspacePath: string) {
  const outputs: Record<string, any> = {};
  const checkpoints: Record<string, any> = {};
  return {
    outputs,
    ctx: {
      input,
      workspacePath,
      logger,
      task: { id: `bench-${counter++}` },
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(tmpRoot, 'tmp-')),
      checkpoint: async ({ key, fn }: { key: string; fn: () => any }) =>
        (checkpoints[key] ??= await fn()),
      getInitiatorCredentials: async () => ({} as any),
    } as any,
  };
}

async function main() {
  const host = await startGitHost({
    port: 0,
    users: [{ login: 'platform', token: 'platform-token', admin: true }],
  });
  try {
    const config = new ConfigReader(testConfigData(host.url));
    const settings = readSankofaSettings(config);
    const integrations = ScmIntegrations.fromConfig(config);
    const reader = UrlReaders.default({ config, logger });
    const create = createVmCreateAction({ settings, integrations, reader });
    const pr = createGitopsPullRequestAction({ settings, integrations });

    const request = async (name: string) => {
      const workspace = fs.mkdtempSync(path.join(tmpRoot, 'ws-'));
      const vm = context(
        {
          name,
          owner: 'team-alpha',
          site: 'accra',
          image: 'debian-12',
          sizeClass: 'small',
          network: { bridge: 'vmbr0', vlan: 10 },
          sshKeys: [KEY],
        },
        workspace,
      );
      await create.handler(vm.ctx);
      const p = context(
        {
          branchName: vm.outputs.branchName,
          title: vm.outputs.title,
          details: vm.outputs.details,
          entityUrl: vm.outputs.entityUrl,
        },
        workspace,
      );
      await pr.handler(p.ctx);
      return p.outputs as { pullRequestNumber: number; created: boolean };
    };

    const run = async (names: string[], concurrent: boolean) => {
      const start = process.hrtime.bigint();
      let failed = 0;
      const results: Array<{ pullRequestNumber: number; created: boolean }> =
        [];
      const one = async (n: string) => {
        try {
          results.push(await request(n));
        } catch (error) {
          failed += 1;
          process.stderr.write(`${n}: ${error}\n`);
        }
      };
      if (concurrent) await Promise.all(names.map(one));
      else for (const n of names) await one(n);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return { seconds, failed, results, rate: names.length / seconds };
    };

    const baseline = await run(
      Array.from({ length: SEQUENTIAL }, (_, i) => `seq-${i}`),
      false,
    );
    const names = Array.from({ length: CONCURRENT }, (_, i) => `conc-${i}`);
    const burst = await run(names, true);
    const retry = await run(names, true);

    const pulls = host.listPulls('platform', 'sankofa-gitops');
    const ours = pulls.filter(p => /\/conc-\d+$/.test(p.headBranch));
    const heads = new Set(ours.map(p => p.headBranch));
    const duplicates = ours.length - heads.size;

    console.log(
      `sequential baseline: ${SEQUENTIAL} requests in ${baseline.seconds.toFixed(
        2,
      )} s = ${baseline.rate.toFixed(2)} requests/s (failed ${
        baseline.failed
      })`,
    );
    console.log(
      `concurrent: ${CONCURRENT} requests in ${burst.seconds.toFixed(
        2,
      )} s = ${burst.rate.toFixed(2)} requests/s (failed ${burst.failed}), ${(
        burst.rate / baseline.rate
      ).toFixed(2)}x the sequential baseline`,
    );
    console.log(
      `concurrent retry of the same ${CONCURRENT}: ${retry.seconds.toFixed(
        2,
      )} s = ${retry.rate.toFixed(2)} requests/s (failed ${
        retry.failed
      }), created ${retry.results.filter(r => r.created).length} new PRs`,
    );
    console.log(
      `PRs for the ${CONCURRENT} requests: ${ours.length}, distinct branches ${heads.size}, duplicates ${duplicates}`,
    );
    const ok =
      burst.failed === 0 &&
      retry.failed === 0 &&
      ours.length === CONCURRENT &&
      duplicates === 0 &&
      retry.results.every(r => !r.created);
    console.log(ok ? 'PASS' : 'FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await host.close();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
