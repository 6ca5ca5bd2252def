import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { GitHost, startGitHost } from '@sankofa/sandbox';
import { GiteaPullRequests } from './GiteaPullRequests';

const TOKEN = 'bot-token';

describe('GiteaPullRequests against the sandbox Git host', () => {
  let host: GitHost;
  let prUrl: string;

  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${host.apiUrl}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `token ${TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as any;
  };

  beforeAll(async () => {
    host = await startGitHost({
      port: 0,
      users: [{ login: 'sankofa-bot', token: TOKEN, admin: true }],
    });
    await api(
      '/repos/platform/sankofa-gitops/contents/clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      {
        content: Buffer.from('kind: VirtualMachine\n').toString('base64'),
        message: 'Request VM web-1',
        new_branch: 'sankofa/web-1',
      },
    );
    const pr = await api('/repos/platform/sankofa-gitops/pulls', {
      head: 'sankofa/web-1',
      base: 'main',
      title: 'Request VM web-1',
    });
    prUrl = pr.html_url;
  });

  afterAll(() => host?.close());

  function client(repoUrl = `${host.url}/platform/sankofa-gitops`) {
    return GiteaPullRequests.fromConfig(
      new ConfigReader({
        sankofa: { gitops: { repoUrl } },
        integrations: {
          gitea: [{ host: new URL(host.url).host, password: TOKEN }],
        },
      }),
      mockServices.logger.mock(),
    )!;
  }

  it('reads an open PR, then sees it merged', async () => {
    const c = client();
    expect(await c.get(prUrl)).toMatchObject({
      url: prUrl,
      state: 'open',
      openedAt: expect.any(String),
    });
    const number = prUrl.split('/').pop();
    await api(`/repos/platform/sankofa-gitops/pulls/${number}/merge`, {
      Do: 'merge',
    });
    const fresh = client();
    expect(await fresh.get(prUrl)).toMatchObject({
      state: 'merged',
      mergedAt: expect.any(String),
    });
  });

  it('never calls a URL that is not one of the GitOps repository’s pull requests', async () => {
    const fetchSpy = jest.spyOn(global, 'fetch');
    const c = client();
    await expect(
      c.get('http://evil.example/platform/sankofa-gitops/pulls/1'),
    ).resolves.toBeUndefined();
    await expect(
      c.get(`${host.url}/platform/other/pulls/1`),
    ).resolves.toBeUndefined();
    await expect(
      c.get(`${host.url}/platform/sankofa-gitops/pulls/1/../../x`),
    ).resolves.toBeUndefined();
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('is absent without a Gitea integration for the repo host', () => {
    expect(
      GiteaPullRequests.fromConfig(
        new ConfigReader({
          sankofa: { gitops: { repoUrl: 'https://github.com/acme/gitops' } },
        }),
        mockServices.logger.mock(),
      ),
    ).toBeUndefined();
  });
});

describe('GiteaPullRequests with the sandbox defaults', () => {
  // The scaffolder records the PR URL as the sandbox Git host returns it (html_url under its
  // public address http://localhost:3030); no server listens there in tests, so fetch answers.
  const PR_URL = 'http://localhost:3030/platform/sankofa-gitops/pulls/7';

  afterEach(() => jest.restoreAllMocks());

  it.each([
    'http://localhost:3030/platform/sankofa-gitops',
    'http://localhost:3030/platform/sankofa-gitops/',
    'http://localhost:3030/platform/sankofa-gitops.git',
  ])('reads the PR of a sandbox PR URL for repoUrl %s', async repoUrl => {
    const fetchSpy = jest.spyOn(global, 'fetch').mockResolvedValue(
      Response.json({
        number: 7,
        state: 'closed',
        merged: true,
        created_at: '2025-01-01T10:00:00Z',
        merged_at: '2025-01-01T10:05:00Z',
      }),
    );
    const c = GiteaPullRequests.fromConfig(
      new ConfigReader({
        sankofa: { gitops: { repoUrl } },
        integrations: {
          gitea: [{ host: 'localhost:3030', password: TOKEN }],
        },
      }),
      mockServices.logger.mock(),
    )!;
    expect(await c.get(PR_URL)).toEqual({
      url: PR_URL,
      state: 'merged',
      openedAt: '2025-01-01T10:00:00Z',
      mergedAt: '2025-01-01T10:05:00Z',
    });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0][0]).toBe(
      'http://localhost:3030/api/v1/repos/platform/sankofa-gitops/pulls/7',
    );
    expect(fetchSpy.mock.calls[0][1]?.headers).toEqual({
      Authorization: `token ${TOKEN}`,
    });
    // Another repository's PR on the same host is not ours to read.
    await expect(
      c.get('http://localhost:3030/platform/other/pulls/7'),
    ).resolves.toBeUndefined();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });
});
