import type { Request, Response } from 'express';
import type { Credentials } from '../auth';
import type { GitHostUser, RepoRecord } from '../state';
import { notFound, unauthorized, unprocessable } from './errors';
import type { GitHostContext } from './format';

/** The authenticated caller's login, if any (set by the auth middleware). */
export function viewerOf(
  res: Response,
): (GitHostUser & { id: number }) | undefined {
  const creds = res.locals.credentials as Credentials | undefined;
  return creds?.kind === 'user' ? creds.user : undefined;
}

/** Writes need a user; Gitea answers 401 without one. */
export function requireUser(res: Response) {
  const user = viewerOf(res);
  if (!user) {
    throw unauthorized();
  }
  return user;
}

/** The repository named in the path; private ones are invisible to anonymous callers. */
export function loadRepo(
  ctx: GitHostContext,
  req: Request,
  res: Response,
): RepoRecord {
  const owner = String(req.params.owner);
  const name = String(req.params.repo);
  const repo = ctx.state.findRepo(owner, name);
  if (!repo || (repo.private && !viewerOf(res))) {
    throw notFound("The target couldn't be found.");
  }
  return repo;
}

/** Express 5 hands `*name` wildcards over as segment arrays. */
export function wildcard(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return Array.isArray(value) ? value.join('/') : String(value ?? '');
}

export function body(req: Request): Record<string, unknown> {
  const value = req.body;
  if (value === undefined || value === null || value === '') {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unprocessable('request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function optionalString(
  b: Record<string, unknown>,
  field: string,
): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw unprocessable(`[${field}]: must be a string`);
  }
  return v;
}

export function requiredString(
  b: Record<string, unknown>,
  field: string,
): string {
  const v = optionalString(b, field);
  if (!v) {
    throw unprocessable(`[${field}]: Required`);
  }
  return v;
}

/** Gitea pagination: `page` from 1, `limit` (default 30, max 50). */
export function paginate<T>(req: Request, res: Response, items: T[]): T[] {
  const page = Math.max(1, Number(req.query.page) || 1);
  const limit = Math.min(50, Math.max(1, Number(req.query.limit) || 30));
  res.setHeader('X-Total-Count', String(items.length));
  res.setHeader('Access-Control-Expose-Headers', 'X-Total-Count, Link');
  return items.slice((page - 1) * limit, page * limit);
}

export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
