import express, { Request, Response } from 'express';
import { isValidRefName, normaliseRepoPath, ZERO_SHA } from '../GitRepository';
import type { RepoRecord } from '../state';
import {
  body,
  loadRepo,
  optionalString,
  paginate,
  queryString,
  requireUser,
  viewerOf,
  wildcard,
} from './common';
import {
  changeFiles,
  ChangeFilesRequest,
  parseFileChange,
  parseIdentity,
} from './contentsService';
import { conflict, GiteaApiError, notFound, unprocessable } from './errors';
import {
  branchJson,
  commitJson,
  contentsJson,
  GitHostContext,
  repoJson,
  userJson,
} from './format';

/** Repository, branch, contents, raw, commit and archive routes of /api/v1. */
export function reposRouter(ctx: GitHostContext): express.Router {
  const router = express.Router();
  const git = (repo: RepoRecord) => ctx.state.git(repo);

  router.get('/version', (_req, res) => {
    res.json({ version: '1.22.6' });
  });

  router.get('/user', (_req, res) => {
    res.json(userJson(ctx, requireUser(res).login));
  });

  router.get('/users/:username', (req, res) => {
    const user = ctx.state.findUser(req.params.username);
    if (!user) {
      throw notFound(
        `user does not exist [uid: 0, name: ${req.params.username}]`,
      );
    }
    res.json(userJson(ctx, user.login));
  });

  router.get('/repos/:owner/:repo', async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    res.json(
      repoJson(ctx, repo, await git(repo).isEmpty(), viewerOf(res)?.login),
    );
  });

  // Branches -------------------------------------------------------------

  router.get('/repos/:owner/:repo/branches', async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const branches = await git(repo).listBranches();
    const page = paginate(req, res, branches);
    const viewer = viewerOf(res)?.login;
    const out = [];
    for (const b of page) {
      out.push(
        branchJson(
          ctx,
          repo,
          b.name,
          await git(repo).commitInfo(b.sha),
          viewer,
        ),
      );
    }
    res.json(out);
  });

  router.get('/repos/:owner/:repo/branches/*branch', async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const name = wildcard(req, 'branch');
    const sha = await git(repo).branchSha(name);
    if (!sha) {
      throw notFound("The target couldn't be found.");
    }
    res.json(
      branchJson(
        ctx,
        repo,
        name,
        await git(repo).commitInfo(sha),
        viewerOf(res)?.login,
      ),
    );
  });

  router.post('/repos/:owner/:repo/branches', async (req, res) => {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const b = body(req);
    const name = optionalString(b, 'new_branch_name');
    if (!name) {
      throw unprocessable('[new_branch_name]: Required');
    }
    if (!isValidRefName(name)) {
      throw unprocessable(
        `[new_branch_name]: invalid branch name [name: ${name}]`,
      );
    }
    const from =
      optionalString(b, 'old_ref_name') ||
      optionalString(b, 'old_branch_name') ||
      repo.defaultBranch;
    const result = await ctx.state.withRepoLock(repo, async () => {
      const start = await git(repo).resolveRef(from);
      if (!start) {
        throw notFound('The old branch does not exist');
      }
      if (await git(repo).branchSha(name)) {
        throw conflict('The branch already exists.');
      }
      await git(repo).updateBranch(name, start, ZERO_SHA);
      return start;
    });
    res
      .status(201)
      .json(
        branchJson(
          ctx,
          repo,
          name,
          await git(repo).commitInfo(result),
          user.login,
        ),
      );
  });

  router.delete('/repos/:owner/:repo/branches/*branch', async (req, res) => {
    requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const name = wildcard(req, 'branch');
    if (name === repo.defaultBranch) {
      throw new GiteaApiError(403, 'can not delete default branch');
    }
    await ctx.state.withRepoLock(repo, async () => {
      const sha = await git(repo).branchSha(name);
      if (!sha) {
        throw notFound("The target couldn't be found.");
      }
      await git(repo).deleteBranch(name, sha);
    });
    res.status(204).end();
  });

  // Contents -------------------------------------------------------------

  async function readContents(req: Request, res: Response, filePath: string) {
    const repo = loadRepo(ctx, req, res);
    const ref = queryString(req, 'ref') ?? repo.defaultBranch;
    const commit = await git(repo).resolveRef(ref);
    if (!commit) {
      throw notFound(`object does not exist [id: ${ref}, rel_path: ]`);
    }
    const normalised = filePath === '' ? '' : normaliseRepoPath(filePath);
    const entry =
      normalised === undefined
        ? undefined
        : await git(repo).entryAt(commit, normalised);
    if (!entry) {
      throw notFound(
        `object does not exist [id: ${commit}, rel_path: ${filePath}]`,
      );
    }
    if (entry.type === 'tree') {
      const children = await git(repo).listDirectory(commit, entry.path);
      const out = [];
      for (const child of children) {
        const last = await git(repo).lastCommitFor(commit, child.path);
        out.push(contentsJson(ctx, repo, ref, child, last));
      }
      res.json(out);
      return;
    }
    const last = await git(repo).lastCommitFor(commit, entry.path);
    const content =
      entry.type === 'blob' ? await git(repo).readBlob(entry.sha) : undefined;
    res.setHeader(
      'Last-Modified',
      new Date((await git(repo).commitInfo(last)).committer.date).toUTCString(),
    );
    res.json(contentsJson(ctx, repo, ref, entry, last, content));
  }

  router.get('/repos/:owner/:repo/contents', (req, res) =>
    readContents(req, res, ''),
  );
  router.get('/repos/:owner/:repo/contents/*path', (req, res) =>
    readContents(req, res, wildcard(req, 'path')),
  );

  function parseCommon(
    b: Record<string, unknown>,
  ): Omit<ChangeFilesRequest, 'files'> {
    const dates = b.dates as Record<string, unknown> | undefined;
    const author = parseIdentity(b.author, 'author');
    const committer = parseIdentity(b.committer, 'committer');
    const authorDate =
      typeof dates?.author === 'string' ? dates.author : undefined;
    const committerDate =
      typeof dates?.committer === 'string' ? dates.committer : undefined;
    for (const [field, d] of [
      ['dates.author', authorDate],
      ['dates.committer', committerDate],
    ] as const) {
      if (d && Number.isNaN(Date.parse(d))) {
        throw unprocessable(`[${field}]: must be an ISO 8601 date`);
      }
    }
    return {
      branch: optionalString(b, 'branch'),
      newBranch: optionalString(b, 'new_branch'),
      message: optionalString(b, 'message'),
      author: author && { ...author, date: authorDate },
      committer: committer && { ...committer, date: committerDate },
    };
  }

  // Gitea's ChangeFiles: several files, one commit.
  router.post('/repos/:owner/:repo/contents', async (req, res) => {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const b = body(req);
    if (!Array.isArray(b.files)) {
      throw unprocessable('[files]: Required (array of file operations)');
    }
    const files = b.files.map((f, i) => parseFileChange(f, `files[${i}]`));
    const result = await changeFiles(ctx, repo, user, {
      ...parseCommon(b),
      files,
    });
    res.status(201).json({
      files: result.files,
      commit: result.commitJson,
      verification: {
        verified: false,
        reason: 'gpg.error.not_signed_commit',
        signature: '',
        signer: null,
        payload: '',
      },
    });
  });

  async function singleFile(
    req: Request,
    res: Response,
    operation: 'create' | 'update' | 'delete' | 'upsert',
  ) {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const b = body(req);
    const filePath = wildcard(req, 'path');
    let op = operation;
    if (op === 'upsert') {
      // PUT without a sha creates the file when it is absent (newer Gitea).
      op = b.sha ? 'update' : 'create';
    }
    const file = parseFileChange(
      { ...b, operation: op, path: filePath },
      'body',
    );
    const result = await changeFiles(ctx, repo, user, {
      ...parseCommon(b),
      files: [file],
    });
    res.status(op === 'create' ? 201 : 200).json({
      content: result.files[0],
      commit: result.commitJson,
      verification: {
        verified: false,
        reason: 'gpg.error.not_signed_commit',
        signature: '',
        signer: null,
        payload: '',
      },
    });
  }

  router.post('/repos/:owner/:repo/contents/*path', (req, res) =>
    singleFile(req, res, 'create'),
  );
  router.put('/repos/:owner/:repo/contents/*path', (req, res) =>
    singleFile(req, res, 'upsert'),
  );
  router.delete('/repos/:owner/:repo/contents/*path', (req, res) =>
    singleFile(req, res, 'delete'),
  );

  // Raw files, as Gitea serves them under raw/ and media/ ---------------

  async function raw(req: Request, res: Response) {
    const repo = loadRepo(ctx, req, res);
    const filePath = wildcard(req, 'path');
    const ref = queryString(req, 'ref') ?? repo.defaultBranch;
    const content = await git(repo).readFile(ref, filePath);
    if (!content) {
      throw notFound(
        `object does not exist [id: ${ref}, rel_path: ${filePath}]`,
      );
    }
    sendRaw(res, content);
  }
  router.get('/repos/:owner/:repo/raw/*path', raw);
  router.get('/repos/:owner/:repo/media/*path', raw);

  // Commits and archives (what Backstage's Gitea UrlReader reads) ---------

  router.get('/repos/:owner/:repo/git/commits/:sha', async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const sha = await git(repo).resolveRef(req.params.sha);
    if (!sha) {
      throw notFound(
        `object does not exist [id: ${req.params.sha}, rel_path: ]`,
      );
    }
    res.json(commitJson(ctx, repo, await git(repo).commitInfo(sha)));
  });

  router.get('/repos/:owner/:repo/archive/*archive', async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const name = wildcard(req, 'archive');
    if (!name.endsWith('.tar.gz')) {
      throw unprocessable('only .tar.gz archives are served by the sandbox');
    }
    const ref = name.slice(0, -'.tar.gz'.length);
    const sha = await git(repo).resolveRef(ref);
    if (!sha) {
      throw notFound(`object does not exist [id: ${ref}, rel_path: ]`);
    }
    res.setHeader('Content-Type', 'application/gzip');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${repo.name}-${sha.slice(0, 10)}.tar.gz"`,
    );
    res.send(await git(repo).archive(sha, repo.name));
  });

  return router;
}

export function sendRaw(res: Response, content: Buffer) {
  const text =
    !content.includes(0) &&
    Buffer.from(content.toString('utf8'), 'utf8').equals(content);
  res.setHeader(
    'Content-Type',
    text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(content);
}

/** `{ref}/{path}` where the ref itself may contain slashes: longest branch wins. */
export async function splitRefPath(
  ctx: GitHostContext,
  repo: RepoRecord,
  rest: string,
): Promise<{ sha: string; path: string } | undefined> {
  const parts = rest.split('/');
  for (let i = parts.length - 1; i >= 1; i--) {
    const sha = await ctx.state
      .git(repo)
      .resolveRef(parts.slice(0, i).join('/'));
    if (sha) {
      return { sha, path: parts.slice(i).join('/') };
    }
  }
  return undefined;
}
