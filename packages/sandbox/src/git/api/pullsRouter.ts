import express, { Request, Response } from 'express';
import type { RepoRecord } from '../state';
import {
  body,
  loadRepo,
  optionalString,
  paginate,
  queryString,
  requireUser,
  wildcard,
} from './common';
import { conflict, notFound, unprocessable } from './errors';
import { GitHostContext, labelJson, userJson } from './format';
import { MERGE_STYLES, MergeStyle, PullsService } from './pullsService';

function arrayField(
  b: Record<string, unknown>,
  field: string,
): unknown[] | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v)) {
    throw unprocessable(`[${field}]: must be an array`);
  }
  return v;
}

/** Pull request, label, review request and comment routes of /api/v1. */
export function pullsRouter(ctx: GitHostContext): express.Router {
  const router = express.Router();
  const pulls = new PullsService(ctx);
  const R = '/repos/:owner/:repo';

  const sendList = async (
    req: Request,
    res: Response,
    repo: RepoRecord,
    items: RepoRecord['pulls'],
  ) => {
    const out = [];
    for (const pr of paginate(req, res, items)) {
      out.push(await pulls.toJson(repo, pr));
    }
    res.json(out);
  };

  router.get(`${R}/pulls`, async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const state = queryString(req, 'state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      throw unprocessable('[state]: must be one of open, closed, all');
    }
    const headQuery = queryString(req, 'head');
    const head = headQuery?.includes(':')
      ? headQuery.split(':').slice(1).join(':')
      : headQuery;
    const base = queryString(req, 'base') ?? queryString(req, 'base_branch');
    const poster = queryString(req, 'poster');
    const labels = ([] as unknown[])
      .concat(req.query.labels ?? [])
      .map(Number)
      .filter(n => !Number.isNaN(n));
    const items = repo.pulls
      .filter(p => state === 'all' || p.state === state)
      .filter(p => !head || p.headBranch === head)
      .filter(p => !base || p.baseBranch === base)
      .filter(p => !poster || p.user.toLowerCase() === poster.toLowerCase())
      .filter(p => labels.every(l => p.labelIds.includes(l)))
      .sort((a, b) => b.number - a.number);
    await sendList(req, res, repo, items);
  });

  router.post(`${R}/pulls`, async (req, res) => {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const b = body(req);
    const head = optionalString(b, 'head');
    const base = optionalString(b, 'base');
    const title = optionalString(b, 'title');
    if (!head) throw unprocessable('[Head]: Required');
    if (!base) throw unprocessable('[Base]: Required');
    if (!title) throw unprocessable('[Title]: Required');
    const assignee = optionalString(b, 'assignee');
    const pr = await pulls.create(repo, user, {
      head,
      base,
      title,
      body: optionalString(b, 'body') ?? '',
      labels: arrayField(b, 'labels') ?? [],
      assignees: [
        ...(assignee ? [assignee] : []),
        ...(arrayField(b, 'assignees') ?? []),
      ],
      reviewers: arrayField(b, 'reviewers') ?? [],
    });
    res.status(201).json(await pulls.toJson(repo, pr));
  });

  // Text forms first: `/pulls/1.diff` must not reach `/pulls/:index`.
  for (const kind of ['diff', 'patch'] as const) {
    router.get(`${R}/pulls/:index.${kind}`, async (req, res) => {
      const repo = loadRepo(ctx, req, res);
      const pr = pulls.findPull(repo, req.params.index);
      res.type('text/plain').send(await pulls.diff(repo, pr, kind));
    });
  }

  router.get(`${R}/pulls/:index/merge`, (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    if (!pr.merged) {
      throw notFound("The target couldn't be found.");
    }
    res.status(204).end();
  });

  router.post(`${R}/pulls/:index/merge`, async (req, res) => {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    const b = body(req);
    const style = optionalString(b, 'Do') ?? optionalString(b, 'do');
    if (!style || !MERGE_STYLES.includes(style as MergeStyle)) {
      throw unprocessable(`[Do]: must be one of ${MERGE_STYLES.join(', ')}`);
    }
    await pulls.merge(repo, pr, user, {
      style: style as MergeStyle,
      title: optionalString(b, 'MergeTitleField'),
      message: optionalString(b, 'MergeMessageField'),
      headCommitId: optionalString(b, 'head_commit_id'),
      deleteBranch: b.delete_branch_after_merge === true,
    });
    res.status(200).end();
  });

  router.post(`${R}/pulls/:index/requested_reviewers`, async (req, res) => {
    requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    const b = body(req);
    const reviewers = pulls.resolveUsers(
      arrayField(b, 'reviewers') ?? [],
      'reviewers',
    );
    const teams = (arrayField(b, 'team_reviewers') ?? []).map((t, i) => {
      if (typeof t !== 'string' || !t) {
        throw unprocessable(`[team_reviewers[${i}]]: must be a team name`);
      }
      return t;
    });
    if (reviewers.length === 0 && teams.length === 0) {
      throw unprocessable(
        '[reviewers]: at least one reviewer or team_reviewer is required',
      );
    }
    const facts = await pulls.facts(repo, pr);
    const now = new Date().toISOString();
    const created = [];
    for (const login of reviewers) {
      if (!pr.requestedReviewers.includes(login)) {
        pr.requestedReviewers.push(login);
      }
      created.push({
        id: ctx.state.nextId(),
        user: userJson(ctx, login),
        team: null,
        state: 'REQUEST_REVIEW',
        body: '',
        commit_id: facts.headSha,
        stale: false,
        official: false,
        dismissed: false,
        comments_count: 0,
        submitted_at: now,
        updated_at: now,
        html_url: `${ctx.baseUrl()}/${repo.owner}/${repo.name}/pulls/${
          pr.number
        }`,
        pull_request_url: `${ctx.baseUrl()}/${repo.owner}/${repo.name}/pulls/${
          pr.number
        }`,
      });
    }
    for (const team of teams) {
      if (!pr.requestedTeams.includes(team)) {
        pr.requestedTeams.push(team);
      }
    }
    pr.updatedAt = now;
    ctx.state.save();
    res.status(201).json(created);
  });

  router.get(`${R}/pulls/:index`, async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    res.json(await pulls.toJson(repo, pulls.findPull(repo, req.params.index)));
  });

  router.patch(`${R}/pulls/:index`, async (req, res) => {
    requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    const b = body(req);
    const state = optionalString(b, 'state');
    if (state !== undefined && state !== 'open' && state !== 'closed') {
      throw unprocessable('[state]: must be open or closed');
    }
    const title = optionalString(b, 'title');
    if (title === '') {
      throw unprocessable('[title]: must not be empty');
    }
    await pulls.edit(repo, pr, {
      title,
      body: optionalString(b, 'body'),
      state,
      base: optionalString(b, 'base') || undefined,
      labels: arrayField(b, 'labels'),
      assignees: arrayField(b, 'assignees'),
    });
    // Gitea answers an edit with 201.
    res.status(201).json(await pulls.toJson(repo, pr));
  });

  // Gitea's lookup of a PR by its branches; the open one wins over older ones.
  router.get(`${R}/pulls/:base/*head`, async (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const base = req.params.base;
    const headParam = wildcard(req, 'head');
    const head = headParam.includes(':')
      ? headParam.split(':').slice(1).join(':')
      : headParam;
    const matches = repo.pulls
      .filter(p => p.baseBranch === base && p.headBranch === head)
      .sort((a, b) => b.number - a.number);
    const pr = matches.find(p => p.state === 'open') ?? matches[0];
    if (!pr) {
      throw notFound("The target couldn't be found.");
    }
    res.json(await pulls.toJson(repo, pr));
  });

  // Labels ---------------------------------------------------------------

  router.get(`${R}/labels`, (req, res) => {
    const repo = loadRepo(ctx, req, res);
    res.json(paginate(req, res, repo.labels).map(l => labelJson(ctx, repo, l)));
  });

  router.get(`${R}/labels/:id`, (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const label = repo.labels.find(l => String(l.id) === req.params.id);
    if (!label) {
      throw notFound("The target couldn't be found.");
    }
    res.json(labelJson(ctx, repo, label));
  });

  router.post(`${R}/labels`, async (req, res) => {
    requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const b = body(req);
    const name = optionalString(b, 'name');
    const color = optionalString(b, 'color');
    if (!name) throw unprocessable('[Name]: Required');
    if (!color || !/^#?[0-9a-fA-F]{6}$/.test(color)) {
      throw unprocessable('[Color]: must be a hex colour like #00aabb');
    }
    if (repo.labels.some(l => l.name === name)) {
      throw conflict(`label already exists [name: ${name}]`);
    }
    const label = {
      id: ctx.state.nextId(),
      name,
      color: color.replace(/^#/, '').toLowerCase(),
      description: optionalString(b, 'description') ?? '',
    };
    repo.labels.push(label);
    ctx.state.save();
    res.status(201).json(labelJson(ctx, repo, label));
  });

  // Issue-side views of a PR (labels and comments live on the issue) -----

  const issueLabels = (repo: RepoRecord, ids: number[]) =>
    ids
      .map(id => repo.labels.find(l => l.id === id))
      .filter((l): l is RepoRecord['labels'][number] => Boolean(l))
      .map(l => labelJson(ctx, repo, l));

  router.get(`${R}/issues/:index/labels`, (req, res) => {
    const repo = loadRepo(ctx, req, res);
    res.json(
      issueLabels(repo, pulls.findPull(repo, req.params.index).labelIds),
    );
  });

  for (const method of ['post', 'put'] as const) {
    router[method](`${R}/issues/:index/labels`, (req, res) => {
      requireUser(res);
      const repo = loadRepo(ctx, req, res);
      const pr = pulls.findPull(repo, req.params.index);
      const ids = pulls.resolveLabels(
        repo,
        arrayField(body(req), 'labels') ?? [],
        'labels',
      );
      pr.labelIds =
        method === 'put'
          ? [...new Set(ids)]
          : [...new Set([...pr.labelIds, ...ids])];
      pr.updatedAt = new Date().toISOString();
      ctx.state.save();
      res.json(issueLabels(repo, pr.labelIds));
    });
  }

  router.delete(`${R}/issues/:index/labels/:id`, (req, res) => {
    requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    const id = Number(req.params.id);
    if (!pr.labelIds.includes(id)) {
      throw notFound("The target couldn't be found.");
    }
    pr.labelIds = pr.labelIds.filter(l => l !== id);
    ctx.state.save();
    res.status(204).end();
  });

  const commentJson = (
    repo: RepoRecord,
    prNumber: number,
    c: RepoRecord['pulls'][number]['comments'][number],
  ) => ({
    id: c.id,
    html_url: `${ctx.baseUrl()}/${repo.owner}/${
      repo.name
    }/pulls/${prNumber}#issuecomment-${c.id}`,
    pull_request_url: `${ctx.baseUrl()}/${repo.owner}/${
      repo.name
    }/pulls/${prNumber}`,
    issue_url: '',
    user: userJson(ctx, c.user),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  });

  router.get(`${R}/issues/:index/comments`, (req, res) => {
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    res.json(pr.comments.map(c => commentJson(repo, pr.number, c)));
  });

  router.post(`${R}/issues/:index/comments`, (req, res) => {
    const user = requireUser(res);
    const repo = loadRepo(ctx, req, res);
    const pr = pulls.findPull(repo, req.params.index);
    const text = optionalString(body(req), 'body');
    if (!text) throw unprocessable('[Body]: Required');
    const now = new Date().toISOString();
    const comment = {
      id: ctx.state.nextId(),
      user: user.login,
      body: text,
      createdAt: now,
      updatedAt: now,
    };
    pr.comments.push(comment);
    pr.updatedAt = now;
    ctx.state.save();
    res.status(201).json(commentJson(repo, pr.number, comment));
  });

  return router;
}
