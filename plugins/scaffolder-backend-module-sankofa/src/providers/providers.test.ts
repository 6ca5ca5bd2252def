import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testConfigData } from '../__testUtils__/fixtures';
import { createGitHostProvider } from '.';

// Recorded shapes of the GitHub and GitLab APIs; no such server runs here.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader(testConfigData()),
);
const logger = mockServices.logger.mock();
const retry = { baseDelayMs: 1, maxDelayMs: 20 };
const content = {
  title: 'Request VM team-alpha/web-1 on accra',
  body: '| Field | Value |',
  labels: ['sankofa'],
  reviewers: ['ama', 'sankofa/platform'],
};

describe('GithubProvider', () => {
  const provider = createGitHostProvider({
    repoUrl: 'https://github.com/sankofa/gitops',
    integrations,
    logger,
    retry,
  });
  const pull = {
    number: 7,
    html_url: 'https://github.com/sankofa/gitops/pull/7',
    state: 'open',
    merged_at: null,
    head: { ref: 'sankofa/create/team-alpha/web-1' },
  };

  it('uses the integration token for git and the API', async () => {
    expect(provider.kind).toBe('github');
    expect(provider.cloneUrl).toBe('https://github.com/sankofa/gitops.git');
    expect(await provider.gitCredentials()).toEqual({
      username: 'x-access-token',
      password: 'gh-token',
    });
  });

  it('finds the open PR by owner:branch and base', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(
        'https://api.github.com/repos/sankofa/gitops/pulls',
        ({ request }) => {
          query = new URL(request.url).searchParams;
          expect(request.headers.get('authorization')).toBe('token gh-token');
          return HttpResponse.json([pull]);
        },
      ),
    );
    expect(await provider.findOpenPullRequest(pull.head.ref, 'main')).toEqual({
      number: 7,
      url: pull.html_url,
      state: 'open',
      headBranch: pull.head.ref,
    });
    expect(query?.get('head')).toBe('sankofa:sankofa/create/team-alpha/web-1');
    expect(query?.get('state')).toBe('open');
  });

  it('opens a PR with labels and user and team reviewers, retrying a secondary rate limit', async () => {
    const calls: string[] = [];
    let creates = 0;
    server.use(
      http.post(
        'https://api.github.com/repos/sankofa/gitops/pulls',
        async ({ request }) => {
          creates += 1;
          if (creates === 1) {
            return HttpResponse.json(
              { message: 'You have exceeded a secondary rate limit.' },
              { status: 403, headers: { 'retry-after': '0' } },
            );
          }
          calls.push(`create ${JSON.stringify(await request.json())}`);
          return HttpResponse.json(pull, { status: 201 });
        },
      ),
      http.post(
        'https://api.github.com/repos/sankofa/gitops/issues/7/labels',
        async ({ request }) => {
          calls.push(`labels ${JSON.stringify(await request.json())}`);
          return HttpResponse.json([]);
        },
      ),
      http.post(
        'https://api.github.com/repos/sankofa/gitops/pulls/7/requested_reviewers',
        async ({ request }) => {
          calls.push(`reviewers ${JSON.stringify(await request.json())}`);
          return HttpResponse.json(pull, { status: 201 });
        },
      ),
    );
    const pr = await provider.createPullRequest(pull.head.ref, 'main', content);
    expect(pr.number).toBe(7);
    expect(creates).toBe(2);
    expect(calls).toEqual([
      `create ${JSON.stringify({
        head: pull.head.ref,
        base: 'main',
        title: content.title,
        body: content.body,
      })}`,
      'labels {"labels":["sankofa"]}',
      'reviewers {"reviewers":["ama"],"team_reviewers":["platform"]}',
    ]);
  });

  it('answers a duplicate create (422) with the existing PR', async () => {
    server.use(
      http.post('https://api.github.com/repos/sankofa/gitops/pulls', () =>
        HttpResponse.json(
          { message: 'A pull request already exists for sankofa:x.' },
          { status: 422 },
        ),
      ),
      http.get('https://api.github.com/repos/sankofa/gitops/pulls', () =>
        HttpResponse.json([pull]),
      ),
    );
    const pr = await provider.createPullRequest(pull.head.ref, 'main', {
      ...content,
      labels: [],
      reviewers: [],
    });
    expect(pr.number).toBe(7);
  });

  it('gives up on a rate limit after the configured attempts', async () => {
    let calls = 0;
    server.use(
      http.get('https://api.github.com/repos/sankofa/gitops/pulls', () => {
        calls += 1;
        return HttpResponse.json(
          { message: 'API rate limit exceeded' },
          { status: 429 },
        );
      }),
    );
    await expect(
      provider.findOpenPullRequest('b', 'main'),
    ).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(6);
  });
});

describe('GitlabProvider', () => {
  const provider = createGitHostProvider({
    repoUrl: 'https://gitlab.com/sankofa/infra/gitops',
    integrations,
    logger,
    retry,
  });
  const mr = {
    iid: 3,
    web_url: 'https://gitlab.com/sankofa/infra/gitops/-/merge_requests/3',
    state: 'opened',
    source_branch: 'sankofa/create/team-alpha/web-1',
  };
  const api = 'https://gitlab.com/api/v4/projects/sankofa%2Finfra%2Fgitops';

  it('reads nested groups and uses oauth2 for git', async () => {
    expect(provider.kind).toBe('gitlab');
    expect(provider.cloneUrl).toBe(
      'https://gitlab.com/sankofa/infra/gitops.git',
    );
    expect(await provider.gitCredentials()).toEqual({
      username: 'oauth2',
      password: 'gl-token',
    });
  });

  it('finds, creates and updates merge requests, retrying 429 with Retry-After', async () => {
    let lists = 0;
    const bodies: unknown[] = [];
    server.use(
      http.get(`${api}/merge_requests`, ({ request }) => {
        lists += 1;
        expect(request.headers.get('private-token')).toBe('gl-token');
        if (lists === 1) {
          return HttpResponse.json(
            { message: '429 Too Many Requests' },
            { status: 429, headers: { 'Retry-After': '0' } },
          );
        }
        const q = new URL(request.url).searchParams;
        expect(q.get('source_branch')).toBe(mr.source_branch);
        return HttpResponse.json(
          q.get('state') === 'opened' ? [] : [{ ...mr, state: 'merged' }],
        );
      }),
      http.get('https://gitlab.com/api/v4/users', ({ request }) => {
        const username = new URL(request.url).searchParams.get('username');
        return HttpResponse.json(
          username === 'ama' ? [{ id: 42, username }] : [],
        );
      }),
      http.post(`${api}/merge_requests`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(mr, { status: 201 });
      }),
      http.put(`${api}/merge_requests/3`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(mr);
      }),
    );
    expect(
      await provider.findOpenPullRequest(mr.source_branch, 'main'),
    ).toBeUndefined();
    expect(lists).toBe(2);
    expect(
      await provider.findLatestPullRequest(mr.source_branch, 'main'),
    ).toMatchObject({ state: 'merged' });
    const created = await provider.createPullRequest(
      mr.source_branch,
      'main',
      content,
    );
    expect(created).toEqual({
      number: 3,
      url: mr.web_url,
      state: 'open',
      headBranch: mr.source_branch,
    });
    await provider.updatePullRequest(created, { ...content, title: 'Resize' });
    expect(bodies[0]).toMatchObject({
      source_branch: mr.source_branch,
      target_branch: 'main',
      title: content.title,
      description: content.body,
      labels: 'sankofa',
      reviewer_ids: [42],
    });
    expect(bodies[1]).toMatchObject({ title: 'Resize', labels: 'sankofa' });
  });
});

describe('createGitHostProvider', () => {
  it('refuses hosts without an integration', () => {
    expect(() =>
      createGitHostProvider({
        repoUrl: 'https://example.org/a/b',
        integrations,
        logger,
      }),
    ).toThrow(/repoUrl: no integration is configured for example.org/);
  });
});
