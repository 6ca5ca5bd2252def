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
import { createVmCreateAction } from './vmCreate';
import { createVmDeleteAction } from './vmDelete';
import { createVmUpdateAction } from './vmUpdate';

const OWNER = 'platform';
const REPO = 'sankofa-gitops';

let host: GitHost;
let actions: ReturnType<typeof makeActions>;

function makeActions(baseUrl: string) {
  const config = new ConfigReader(testConfigData(baseUrl));
  const settings = readSankofaSettings(config);
  const integrations = ScmIntegrations.fromConfig(config);
  const reader = UrlReaders.default({
    config,
    logger: mockServices.logger.mock(),
  });
  const retry = { baseDelayMs: 10, maxDelayMs: 1500 };
  const options = { settings, integrations, reader, retry };
  return {
    create: createVmCreateAction(options),
    update: createVmUpdateAction(options),
    remove: createVmDeleteAction(options),
    pr: createGitopsPullRequestAction({
      settings,
      integrations,
      retry,
    }),
  };
}

beforeAll(async () => {
  host = await startGitHost({
    port: 0,
    users: [
      { login: 'platform', token: 'platform-token', admin: true },
      { login: 'ama', token: 'ama-token' },
    ],
  });
  actions = makeActions(host.url);
});

afterAll(async () => {
  await host?.close();
});

const request = {
  name: 'web-1',
  owner: 'group:default/team-alpha',
  site: 'accra',
  image: 'debian-12',
  sizeClass: 'small',
  network: { bridge: 'vmbr0', vlan: 10 },
  sshKeys: [KEY_ED25519],
};

/** Runs a VM action then the PR action in one workspace, like a template does. */
async function runTask(
  vmAction: 'create' | 'update' | 'remove',
  input: Record<string, unknown>,
  extra: {
    isDryRun?: boolean;
    checkpoints?: Record<string, any>;
    /** Plays a worker dying when the step with this checkpoint key prefix starts. */
    dieAt?: string;
  } = {},
) {
  const vmCtx = createMockActionContext({
    input: input as any,
    isDryRun: extra.isDryRun,
  });
  await actions[vmAction].handler(vmCtx as any);
  const out = vmCtx.outputs as any;
  const prCtx = createMockActionContext({
    workspacePath: vmCtx.workspacePath,
    isDryRun: extra.isDryRun,
    checkpoints: extra.checkpoints,
    input: {
      branchName: out.branchName,
      title: out.title,
      details: out.details,
      entityUrl: out.entityUrl,
      removePaths: out.removedFiles,
    },
  });
  if (extra.dieAt) {
    const checkpoint = prCtx.checkpoint.bind(prCtx);
    prCtx.checkpoint = (async (opts: { key: string; fn: () => any }) => {
      if (opts.key.startsWith(extra.dieAt!)) throw new Error('worker died');
      return checkpoint(opts);
    }) as typeof prCtx.checkpoint;
  }
  await actions.pr.handler(prCtx as any);
  return { vm: out, pr: prCtx.outputs as any, checkpoints: extra.checkpoints };
}

async function prFiles(number: number) {
  const res = await fetch(
    `${host.apiUrl}/repos/${OWNER}/${REPO}/pulls/${number}.diff`,
    { headers: { Authorization: 'token platform-token' } },
  );
  const diff = await res.text();
  return [...diff.matchAll(/^diff --git a\/(\S+) b\//gm)].map(m => m[1]).sort();
}

const openPulls = () =>
  host.listPulls(OWNER, REPO).filter(p => p.state === 'open');

const pullsOf = (branch: string) =>
  host.listPulls(OWNER, REPO).filter(p => p.headBranch === branch);

/** The `sankofa.io/pull-request` annotation of a VM entity at `ref`. */
async function entityPullRequest(ref: string, name = 'web-1') {
  const text = await host.readFile(
    OWNER,
    REPO,
    ref,
    `catalog/team-alpha/${name}.yaml`,
  );
  return parse(text!).metadata.annotations['sankofa.io/pull-request'];
}

async function parentsOf(sha: string): Promise<string[]> {
  const res = await fetch(
    `${host.apiUrl}/repos/${OWNER}/${REPO}/git/commits/${sha}`,
    { headers: { Authorization: 'token platform-token' } },
  );
  return ((await res.json()).parents as Array<{ sha: string }>).map(p => p.sha);
}

describe('sankofa:gitops:pullRequest against the sandbox Git host', () => {
  it('opens exactly one PR holding the claim, the kustomization, the entity and the location', async () => {
    const { pr } = await runTask('create', request);
    expect(pr).toMatchObject({
      created: true,
      pullRequestNumber: expect.any(Number),
    });
    expect(pr.pullRequestUrl).toContain(`/${OWNER}/${REPO}/pulls/`);
    expect(openPulls()).toHaveLength(1);
    expect(await prFiles(pr.pullRequestNumber)).toEqual([
      'catalog-info.yaml',
      'catalog/team-alpha/web-1.yaml',
      'clusters/sankofa-east/kustomization.yaml',
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
    ]);
    const branch = 'sankofa/create/team-alpha/web-1';
    const kustomization = parse(
      (await host.readFile(
        OWNER,
        REPO,
        branch,
        'clusters/sankofa-east/kustomization.yaml',
      ))!,
    );
    expect(kustomization.resources).toEqual(['vms/team-alpha/web-1.yaml']);
    // The entity names its PR, in the one commit the branch adds to main.
    expect(pr.pullRequestUrl).toBe(
      `${host.url}/${OWNER}/${REPO}/pulls/${pr.pullRequestNumber}`,
    );
    expect(await entityPullRequest(branch)).toBe(pr.pullRequestUrl);
    expect(pr.commitSha).toBe(await host.branchSha(OWNER, REPO, branch));
    expect(await parentsOf(pr.commitSha)).toEqual([
      await host.branchSha(OWNER, REPO, 'main'),
    ]);
    const pull = openPulls()[0] as any;
    expect(pull.title).toBe('Request VM team-alpha/web-1 on accra');
    expect(JSON.stringify(pull)).toContain('| Site | accra |');
  });

  it('leaves one PR and the same commit when the task runs again or is recovered', async () => {
    const branch = 'sankofa/create/team-alpha/web-1';
    const sha = await host.branchSha(OWNER, REPO, branch);
    const again = await runTask('create', request);
    expect(again.pr).toMatchObject({ created: false, updated: false });
    const checkpoints: Record<string, any> = {};
    const first = await runTask('create', request, { checkpoints });
    // A recovered task replays its checkpoints instead of pushing or opening anything.
    const recovered = await runTask('create', request, { checkpoints });
    expect(recovered.pr.pullRequestNumber).toBe(first.pr.pullRequestNumber);
    expect(await host.branchSha(OWNER, REPO, branch)).toBe(sha);
    expect(host.listPulls(OWNER, REPO)).toHaveLength(1);
    expect(await entityPullRequest(branch)).toBe(again.pr.pullRequestUrl);
  });

  it('updates the same PR when the request changes', async () => {
    const branch = 'sankofa/create/team-alpha/web-1';
    const sha = await host.branchSha(OWNER, REPO, branch);
    const { pr } = await runTask('create', { ...request, sizeClass: 'medium' });
    expect(pr).toMatchObject({ created: false, updated: true });
    expect(await host.branchSha(OWNER, REPO, branch)).not.toBe(sha);
    const claim = parse(
      (await host.readFile(
        OWNER,
        REPO,
        branch,
        'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      ))!,
    );
    expect(claim.spec.cpu).toBe(4);
    expect(host.listPulls(OWNER, REPO)).toHaveLength(1);
    // Rebuilt with the known PR's URL: one push, still one commit on main.
    expect(await entityPullRequest(branch)).toBe(pr.pullRequestUrl);
    expect(await parentsOf(pr.commitSha)).toEqual([
      await host.branchSha(OWNER, REPO, 'main'),
    ]);
  });

  it('dry-run returns the diff and creates no branch or PR', async () => {
    const { pr } = await runTask(
      'create',
      { ...request, name: 'web-2' },
      { isDryRun: true },
    );
    expect(pr.diff).toContain(
      '+++ b/clusters/sankofa-east/vms/team-alpha/web-2.yaml',
    );
    expect(pr.diff).toContain('+  - vms/team-alpha/web-2.yaml');
    expect(pr.pullRequestUrl).toBeUndefined();
    expect(await host.listBranches(OWNER, REPO)).not.toContain(
      'sankofa/create/team-alpha/web-2',
    );
    expect(host.listPulls(OWNER, REPO)).toHaveLength(1);

    // With a PR open, the diff shows the entity naming it and nothing is pushed.
    const branch = 'sankofa/create/team-alpha/web-1';
    const sha = await host.branchSha(OWNER, REPO, branch);
    const again = await runTask(
      'create',
      { ...request, sizeClass: 'medium' },
      { isDryRun: true },
    );
    expect(again.pr.diff).toContain(
      `+    sankofa.io/pull-request: ${await entityPullRequest(branch)}`,
    );
    expect(await host.branchSha(OWNER, REPO, branch)).toBe(sha);
  });

  it('retries rate-limited API calls and still opens one PR', async () => {
    // One rate-limited read while rendering, two while opening the PR.
    host.faults.failNext(1, {
      status: 429,
      pathPrefix: '/api/v1/repos/platform/sankofa-gitops/contents',
    });
    host.faults.failNext(2, {
      status: 429,
      pathPrefix: '/api/v1/repos/platform/sankofa-gitops/pulls',
      method: 'POST',
    });
    const { pr } = await runTask('create', { ...request, name: 'web-3' });
    expect(pr.created).toBe(true);
    expect(openPulls()).toHaveLength(2);
    // Every injected 429 was answered, so each was retried.
    expect(
      host.faults.takeFailure(
        'POST',
        '/api/v1/repos/platform/sankofa-gitops/pulls',
      ),
    ).toBeUndefined();
    expect(
      host.faults.takeFailure(
        'GET',
        '/api/v1/repos/platform/sankofa-gitops/contents/x',
      ),
    ).toBeUndefined();
  });

  it('resizes and decommissions a merged VM, changing only what it must', async () => {
    const first = host
      .listPulls(OWNER, REPO)
      .find(p => p.headBranch === 'sankofa/create/team-alpha/web-1')!;
    const merge = await fetch(
      `${host.apiUrl}/repos/${OWNER}/${REPO}/pulls/${first.number}/merge`,
      {
        method: 'POST',
        headers: {
          Authorization: 'token platform-token',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ Do: 'merge' }),
      },
    );
    expect(merge.ok).toBe(true);
    // The sandbox's PR URL form, which the status backend reads from the merged entity.
    expect(await entityPullRequest('main')).toBe(
      `${host.url}/${OWNER}/${REPO}/pulls/${first.number}`,
    );

    const resize = await runTask('update', {
      vm: 'resource:team-alpha/web-1',
      sizeClass: 'large',
    });
    expect(resize.vm.changes).toEqual([
      'sizeClass: medium → large',
      'cpu: 4 → 8',
      'memoryMiB: 8192 → 16384',
      'diskGiB: 50 → 100',
    ]);
    expect(await prFiles(resize.pr.pullRequestNumber)).toEqual([
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
    ]);
    expect(await entityPullRequest('sankofa/resize/team-alpha/web-1')).toBe(
      `${host.url}/${OWNER}/${REPO}/pulls/${first.number}`,
    );

    const power = await runTask('update', {
      vm: 'sankofa-east/team-alpha/web-1',
      powerState: 'Stopped',
    });
    expect(power.vm.branchName).toBe('sankofa/power/team-alpha/web-1');

    const removal = await runTask('remove', {
      vm: 'resource:team-alpha/web-1',
      confirmName: 'web-1',
    });
    expect(await prFiles(removal.pr.pullRequestNumber)).toEqual([
      'catalog-info.yaml',
      'catalog/team-alpha/web-1.yaml',
      'clusters/sankofa-east/kustomization.yaml',
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
    ]);
    const branch = 'sankofa/delete/team-alpha/web-1';
    expect(
      await host.readFile(
        OWNER,
        REPO,
        branch,
        'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      ),
    ).toBeUndefined();
    expect(
      parse((await host.readFile(OWNER, REPO, branch, 'catalog-info.yaml'))!)
        .spec.targets,
    ).toEqual([]);
  });

  it('records the PR in the entity when the worker dies right after opening it', async () => {
    const branch = 'sankofa/create/team-alpha/web-4';
    const vm = { ...request, name: 'web-4' };
    const checkpoints: Record<string, any> = {};
    await expect(
      runTask('create', vm, { checkpoints, dieAt: 'sankofa.annotate.' }),
    ).rejects.toThrow('worker died');
    const [pull] = pullsOf(branch);
    expect(await entityPullRequest(branch, 'web-4')).toBeUndefined();

    // The recovered task replays the push and the PR, then finishes the entity.
    const recovered = await runTask('create', vm, { checkpoints });
    const url = `${host.url}/${OWNER}/${REPO}/pulls/${pull.number}`;
    expect(recovered.pr).toMatchObject({
      pullRequestUrl: url,
      created: true,
    });
    expect(await entityPullRequest(branch, 'web-4')).toBe(url);
    const sha = await host.branchSha(OWNER, REPO, branch);
    expect(recovered.pr.commitSha).toBe(sha);

    // A fresh run afterwards changes nothing.
    const again = await runTask('create', vm);
    expect(again.pr).toMatchObject({ created: false, updated: false });
    expect(await host.branchSha(OWNER, REPO, branch)).toBe(sha);
    expect(pullsOf(branch)).toHaveLength(1);
  });
});
