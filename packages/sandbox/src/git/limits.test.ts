import request from 'supertest';
import { RateLimiter } from './limits';
import { GitHost, startGitHost } from './startGitHost';
import { TEST_USERS } from './testUtils';

describe('rate limits and faults', () => {
  let host: GitHost;
  const api = () => request(host.url);

  beforeAll(async () => {
    host = await startGitHost({
      port: 0,
      users: TEST_USERS,
      rateLimit: { limit: 2, windowSeconds: 30 },
    });
  });

  afterAll(() => host.close());

  it('answers 429 with Retry-After once a token spends its budget', async () => {
    const kofi = { Authorization: 'token kofi-token' };
    expect((await api().get('/api/v1/user').set(kofi)).status).toBe(200);
    const second = await api().get('/api/v1/user').set(kofi);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const limited = await api().get('/api/v1/user').set(kofi);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(limited.body).toEqual({
      message: expect.stringMatching(/rate limit/),
      url: `${host.url}/api/swagger`,
    });
    // Budgets are per token.
    expect(
      (await api().get('/api/v1/user').set('Authorization', 'token esi-token'))
        .status,
    ).toBe(200);
    host.rateLimit.reset();
    expect((await api().get('/api/v1/user').set(kofi)).status).toBe(200);
    host.rateLimit.configure(undefined);
  });

  it('refills the budget when the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 10 }, () => now);
    expect(limiter.take('a')?.allowed).toBe(true);
    now = 4000;
    expect(limiter.take('a')).toMatchObject({
      allowed: false,
      retryAfterSeconds: 6,
    });
    now = 10000;
    expect(limiter.take('a')?.allowed).toBe(true);
  });

  it('injects failures for N requests and latency', async () => {
    host.faults.failNext(2, { status: 502, pathPrefix: '/api/v1/repos' });
    expect((await api().get('/api/v1/version')).status).toBe(200);
    expect(
      (await api().get('/api/v1/repos/platform/sankofa-gitops')).status,
    ).toBe(502);
    expect(
      (await api().get('/api/v1/repos/platform/sankofa-gitops')).status,
    ).toBe(502);
    expect(
      (await api().get('/api/v1/repos/platform/sankofa-gitops')).status,
    ).toBe(200);
    host.faults.setLatency(150);
    const started = Date.now();
    await api().get('/api/v1/version');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    host.faults.clear();
  });
});
