import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { apiErrorHandler, errorBody } from './api/errors';
import type { GitHostContext } from './api/format';
import { pullsRouter } from './api/pullsRouter';
import { reposRouter, sendRaw, splitRefPath } from './api/reposRouter';
import { authenticate, Credentials } from './auth';
import { FaultInjector, RateLimiter, RateLimitOptions } from './limits';
import { seedGitops } from './seed';
import { smartHttpHandler } from './smartHttp';
import { GitHostState, GitHostUser, PullRecord } from './state';

export interface GitHostOptions {
  /** Default 3030; tests pass 0 for an ephemeral port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Where bare repositories and metadata live; default a temp dir removed on close. */
  stateDir?: string;
  users: GitHostUser[];
  /** Create platform/sankofa-gitops with its initial layout; default true. */
  seed?: boolean;
  /** Per-token request budget for /api/v1; default unlimited. */
  rateLimit?: RateLimitOptions;
  /** Base URL used in links and clone URLs (e.g. http://localhost:3030); default from host and port. */
  publicUrl?: string;
}

export interface GitHost {
  /** e.g. http://127.0.0.1:3030 */
  url: string;
  /** `${url}/api/v1` */
  apiUrl: string;
  stateDir: string;
  /** Clone URL: `${url}/<owner>/<repo>.git` */
  repoUrl(owner: string, repo: string): string;
  close(): Promise<void>;
  faults: FaultInjector;
  /** Change or disable (undefined) the rate limit at run time; reset() refills budgets. */
  rateLimit: Pick<RateLimiter, 'configure' | 'reset'>;
  createRepo(
    owner: string,
    name: string,
    options?: {
      private?: boolean;
      description?: string;
      defaultBranch?: string;
    },
  ): Promise<void>;
  /** UTF-8 content of a file at a branch, tag or sha; undefined when absent. */
  readFile(
    owner: string,
    repo: string,
    ref: string,
    filePath: string,
  ): Promise<string | undefined>;
  /** Head sha of a branch; undefined when absent. */
  branchSha(
    owner: string,
    repo: string,
    branch: string,
  ): Promise<string | undefined>;
  listBranches(owner: string, repo: string): Promise<string[]>;
  /** A snapshot of the repository's pull requests. */
  listPulls(owner: string, repo: string): PullRecord[];
}

/** Starts the Git host stand-in (a Gitea API subset plus smart HTTP git). */
export async function startGitHost(options: GitHostOptions): Promise<GitHost> {
  const ownsStateDir = !options.stateDir;
  const stateDir =
    options.stateDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-git-host-'));
  const state = new GitHostState(path.resolve(stateDir), options.users);
  if (options.seed ?? true) {
    await seedGitops(state);
  }

  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const ctx: GitHostContext = { state, baseUrl: () => baseUrl };
  const faults = new FaultInjector();
  const limiter = new RateLimiter(options.rateLimit);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(async (req, res, next) => {
    if (faults.latency > 0) {
      await new Promise(resolve => setTimeout(resolve, faults.latency));
    }
    const failure = faults.takeFailure(req.method, req.path);
    if (failure) {
      res.status(failure.status).json(errorBody(baseUrl, failure.message));
      return;
    }
    res.locals.credentials = authenticate(req, state);
    next();
  });

  // Before any body parser: git's request bodies must stream untouched.
  app.use(smartHttpHandler(state));

  const api = express.Router();
  api.use((req, res, next) => {
    const creds = res.locals.credentials as Credentials;
    if (creds.kind === 'invalid') {
      res.status(401).json(errorBody(baseUrl, creds.reason));
      return;
    }
    const key =
      creds.kind === 'user' ? `user:${creds.user.login}` : `anon:${req.ip}`;
    const decision = limiter.take(key);
    if (decision) {
      res.setHeader('X-RateLimit-Limit', String(decision.limit));
      res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
      res.setHeader('X-RateLimit-Reset', String(decision.retryAfterSeconds));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        res
          .status(429)
          .json(
            errorBody(
              baseUrl,
              `rate limit exceeded, retry in ${decision.retryAfterSeconds}s`,
            ),
          );
        return;
      }
    }
    next();
  });
  api.use(express.json({ limit: '20mb' }));
  api.use(reposRouter(ctx));
  api.use(pullsRouter(ctx));
  api.use((_req, res) => {
    res.status(404).json(errorBody(baseUrl, "The target couldn't be found."));
  });
  api.use(apiErrorHandler(() => baseUrl));
  app.use('/api/v1', api);

  // Gitea's web raw links (download_url): /<owner>/<repo>/raw/branch/<ref>/<path>.
  app.get('/:owner/:repo/raw/:kind/*rest', async (req, res, next) => {
    try {
      const repo = state.findRepo(req.params.owner, req.params.repo);
      const creds = res.locals.credentials as Credentials;
      if (!repo || (repo.private && creds.kind !== 'user')) {
        res.status(404).type('text/plain').send('Not found\n');
        return;
      }
      const rest = (req.params.rest as unknown as string[]).join('/');
      const target = await splitRefPath(ctx, repo, rest);
      const content =
        target && (await state.git(repo).readFile(target.sha, target.path));
      if (!content) {
        res.status(404).type('text/plain').send('Not found\n');
        return;
      }
      sendRaw(res, content);
    } catch (error) {
      next(error);
    }
  });

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3030, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  if (!baseUrl) {
    const host =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    baseUrl = `http://${
      host === '0.0.0.0' || host === '[::]' ? 'localhost' : host
    }:${address.port}`;
  }

  const repoOrThrow = (owner: string, name: string) => {
    const repo = state.findRepo(owner, name);
    if (!repo) {
      throw new Error(`No repository ${owner}/${name} on the Git host`);
    }
    return repo;
  };

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/v1`,
    stateDir: state.stateDir,
    repoUrl: (owner, repo) => `${baseUrl}/${owner}/${repo}.git`,
    faults,
    rateLimit: {
      configure: opts => limiter.configure(opts),
      reset: () => limiter.reset(),
    },
    async createRepo(owner, name, repoOptions = {}) {
      if (!state.findRepo(owner, name)) {
        await state.createRepo({ owner, name, ...repoOptions });
      }
    },
    async readFile(owner, repo, ref, filePath) {
      const content = await state
        .git(repoOrThrow(owner, repo))
        .readFile(ref, filePath);
      return content?.toString('utf8');
    },
    async branchSha(owner, repo, branch) {
      return state.git(repoOrThrow(owner, repo)).branchSha(branch);
    },
    async listBranches(owner, repo) {
      return (await state.git(repoOrThrow(owner, repo)).listBranches()).map(
        b => b.name,
      );
    },
    listPulls(owner, repo) {
      return JSON.parse(JSON.stringify(repoOrThrow(owner, repo).pulls));
    },
    async close() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsStateDir) {
        fs.rmSync(state.stateDir, { recursive: true, force: true });
      }
    },
  };
}
