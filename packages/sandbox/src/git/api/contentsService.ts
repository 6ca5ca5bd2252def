import {
  CommitInfo,
  FileChange,
  GitIdentity,
  isValidRefName,
  normaliseRepoPath,
  ZERO_SHA,
} from '../GitRepository';
import type { GitHostUser, RepoRecord } from '../state';
import { GiteaApiError, notFound, unprocessable } from './errors';
import { contentsJson, fileCommitJson, GitHostContext } from './format';

export type FileOperation = 'create' | 'update' | 'delete';

export interface FileChangeRequest {
  operation: FileOperation;
  path: string;
  /** Base64, for create and update. */
  content?: string;
  /** Blob sha the caller last saw, required for update and delete. */
  sha?: string;
  /** Rename source for update. */
  fromPath?: string;
}

export interface ChangeFilesRequest {
  files: FileChangeRequest[];
  branch?: string;
  newBranch?: string;
  message?: string;
  author?: GitIdentity;
  committer?: GitIdentity;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

/** Parses Gitea's ChangeFilesOptions-style identity (`{name, email}`). */
export function parseIdentity(
  value: unknown,
  field: string,
): GitIdentity | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unprocessable(`[${field}]: must be an object with name and email`);
  }
  const { name, email } = value as Record<string, unknown>;
  if (name !== undefined && typeof name !== 'string') {
    throw unprocessable(`[${field}.name]: must be a string`);
  }
  if (email !== undefined && typeof email !== 'string') {
    throw unprocessable(`[${field}.email]: must be a string`);
  }
  if (!name && !email) {
    return undefined;
  }
  if (/[<>\n]/.test(`${name ?? ''}${email ?? ''}`)) {
    throw unprocessable(
      `[${field}]: name and email must not contain <, > or newlines`,
    );
  }
  return {
    name: name || String(email),
    email: email || `${name}@sankofa.local`,
  };
}

function identityOf(user: GitHostUser): GitIdentity {
  return {
    name: user.fullName || user.login,
    email: user.email ?? `${user.login}@sankofa.local`,
  };
}

function defaultMessage(files: FileChangeRequest[]) {
  const verb = { create: 'Add', update: 'Update', delete: 'Delete' };
  return files.map(f => `${verb[f.operation]} '${f.path}'`).join('\n');
}

/** Validates one file request; paths come back normalised. */
export function parseFileChange(
  raw: unknown,
  field: string,
): FileChangeRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw unprocessable(`[${field}]: must be an object`);
  }
  const f = raw as Record<string, unknown>;
  const operation = f.operation;
  if (
    operation !== 'create' &&
    operation !== 'update' &&
    operation !== 'delete'
  ) {
    throw unprocessable(
      `[${field}.operation]: must be one of create, update, delete`,
    );
  }
  if (typeof f.path !== 'string') {
    throw unprocessable(`[${field}.path]: Required`);
  }
  const path = normaliseRepoPath(f.path);
  if (!path) {
    throw unprocessable(
      `[${field}.path]: path contains a malformed path component [path: ${f.path}]`,
    );
  }
  let content: string | undefined;
  if (operation !== 'delete') {
    if (typeof f.content !== 'string') {
      throw unprocessable(`[${field}.content]: Required (base64)`);
    }
    if (!BASE64.test(f.content)) {
      throw unprocessable(`[${field}.content]: must be base64 encoded`);
    }
    content = f.content;
  }
  if (f.sha !== undefined && f.sha !== null && typeof f.sha !== 'string') {
    throw unprocessable(`[${field}.sha]: must be a string`);
  }
  const sha = (f.sha as string | undefined) || undefined;
  if (operation !== 'create' && !sha) {
    throw unprocessable(`[${field}.sha]: Required for ${operation}`);
  }
  let fromPath: string | undefined;
  if (typeof f.from_path === 'string' && f.from_path !== '') {
    fromPath = normaliseRepoPath(f.from_path);
    if (!fromPath) {
      throw unprocessable(
        `[${field}.from_path]: path contains a malformed path component`,
      );
    }
  }
  return { operation, path, content, sha, fromPath };
}

export interface ChangeFilesResult {
  commit: CommitInfo;
  branch: string;
  files: Array<ReturnType<typeof contentsJson> | null>;
  commitJson: ReturnType<typeof fileCommitJson>;
}

/**
 * Applies Gitea's ChangeFiles semantics as one real commit: every check runs
 * against the branch head under the repository lock, then a single ref update
 * publishes the commit, so a rejected request writes nothing.
 */
export async function changeFiles(
  ctx: GitHostContext,
  repo: RepoRecord,
  actor: GitHostUser,
  request: ChangeFilesRequest,
): Promise<ChangeFilesResult> {
  if (request.files.length === 0) {
    throw unprocessable('[files]: at least one file is required');
  }
  const branch = request.branch || repo.defaultBranch;
  const target = request.newBranch || branch;
  for (const [field, name] of [
    ['branch', branch],
    ['new_branch', target],
  ]) {
    if (!isValidRefName(name)) {
      throw unprocessable(`[${field}]: invalid branch name [name: ${name}]`);
    }
  }
  const seen = new Set<string>();
  for (const f of request.files) {
    for (const p of [f.path, f.fromPath].filter((x): x is string =>
      Boolean(x),
    )) {
      if (seen.has(p)) {
        throw unprocessable(
          `[files]: path is changed more than once [path: ${p}]`,
        );
      }
      seen.add(p);
    }
  }

  const git = ctx.state.git(repo);
  return ctx.state.withRepoLock(repo, async () => {
    const empty = await git.isEmpty();
    let parent = await git.branchSha(branch);
    if (!parent && !(empty && branch === repo.defaultBranch)) {
      throw notFound(`branch does not exist [name: ${branch}]`);
    }
    if (request.newBranch && request.newBranch !== branch) {
      if (await git.branchSha(request.newBranch)) {
        throw unprocessable(
          `branch already exists [name: ${request.newBranch}]`,
        );
      }
    }

    const changes: FileChange[] = [];
    for (const f of request.files) {
      const existing = parent ? await git.entryAt(parent, f.path) : undefined;
      if (f.operation === 'create') {
        if (existing) {
          throw unprocessable(
            `repository file already exists [path: ${f.path}]`,
          );
        }
      } else {
        const source = f.fromPath ?? f.path;
        const current = parent ? await git.entryAt(parent, source) : undefined;
        if (!current || current.type !== 'blob') {
          throw notFound(`file does not exist [path: ${source}]`);
        }
        if (current.sha !== f.sha) {
          throw unprocessable(
            `sha does not match [given: ${f.sha}, expected: ${current.sha}]`,
          );
        }
        if (f.fromPath && f.fromPath !== f.path) {
          if (existing) {
            throw unprocessable(
              `repository file already exists [path: ${f.path}]`,
            );
          }
          changes.push({ operation: 'delete', path: f.fromPath });
        }
      }
      if (f.operation === 'delete') {
        changes.push({ operation: 'delete', path: f.path });
        continue;
      }
      if (existing && existing.type !== 'blob') {
        throw unprocessable(
          `a directory exists at this path [path: ${f.path}]`,
        );
      }
      if (parent) {
        const parts = f.path.split('/');
        for (let i = 1; i < parts.length; i++) {
          const dir = await git.entryAt(parent, parts.slice(0, i).join('/'));
          if (dir && dir.type !== 'tree') {
            throw unprocessable(
              `a file exists where a directory is needed [path: ${dir.path}]`,
            );
          }
        }
      }
      changes.push({
        operation: 'put',
        path: f.path,
        content: Buffer.from(f.content ?? '', 'base64'),
      });
    }

    const author = request.author ?? identityOf(actor);
    const sha = await git.writeCommit({
      parent,
      changes,
      message: request.message || defaultMessage(request.files),
      author,
      committer: request.committer ?? author,
    });
    try {
      if (target === branch && parent) {
        await git.updateBranch(target, sha, parent);
      } else {
        await git.updateBranch(target, sha, ZERO_SHA);
      }
    } catch {
      // Someone pushed over git between our checks and the ref update.
      throw new GiteaApiError(
        409,
        `branch was updated concurrently [name: ${target}]`,
      );
    }
    parent = sha;
    repo.updatedAt = new Date().toISOString();
    ctx.state.save();

    const commit = await git.commitInfo(sha);
    const files = [];
    for (const f of request.files) {
      if (f.operation === 'delete') {
        files.push(null);
        continue;
      }
      const entry = (await git.entryAt(sha, f.path))!;
      files.push(
        contentsJson(
          ctx,
          repo,
          target,
          entry,
          sha,
          Buffer.from(f.content ?? '', 'base64'),
        ),
      );
    }
    return {
      commit,
      branch: target,
      files,
      commitJson: fileCommitJson(ctx, repo, commit),
    };
  });
}
