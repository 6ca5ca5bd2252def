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
