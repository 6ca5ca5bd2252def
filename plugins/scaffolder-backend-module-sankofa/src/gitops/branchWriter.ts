import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { createTwoFilesPatch } from 'diff';
import { InputError } from '@backstage/errors';
import { resolveInside } from '../render/paths';

export interface ChangeSet {
  /** Repository path → new content. */
  files: Record<string, Buffer>;
  /** Repository paths to delete. */
  removals: string[];
}

export interface PreparedBranch {
  changedPaths: string[];
  diff: string;
  /** The commit to push, absent in dry-run or when nothing changed. */
  commitSha?: string;
  /** The branch already exists and holds exactly this tree: nothing to push. */
  upToDate: boolean;
  branchExisted: boolean;
}

/** Reads every file under `dir` as repository paths (`.git` excluded). */
export async function readChangeFiles(
  dir: string,
): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  if (!fs.existsSync(dir)) return files;
  const walk = async (rel: string) => {
    for (const entry of await fs.promises.readdir(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) {
        files[child] = await fs.promises.readFile(path.join(dir, child));
      }
    }
  };
  await walk('');
  return files;
}

const isText = (b: Buffer) => !b.includes(0);

/**
 * Builds the branch in a fresh clone: the target branch's head plus the change set, committed
 * once. A branch that already exists is compared by tree, so a retried task pushes nothing when
 * its earlier attempt already pushed the same content, and force-pushes a rebuilt commit when
 * the content changed. Dry-run stops before committing.
 */
export async function prepareBranch(options: {
  dir: string;
  url: string;
  auth: { username: string; password: string };
  targetBranch: string;
  branch: string;
  changes: ChangeSet;
  message: string;
  author: { name: string; email: string };
  dryRun: boolean;
}): Promise<PreparedBranch> {
  const { dir, url, targetBranch, branch, changes } = options;
  const onAuth = () => options.auth;
  const refs = await git.listServerRefs({
    http,
    url,
    onAuth,
    prefix: 'refs/heads/',
    protocolVersion: 1,
  });
  if (!refs.some(r => r.ref === `refs/heads/${targetBranch}`)) {
    throw new InputError(
      `targetBranch: ${targetBranch} does not exist in ${url}`,
    );
  }
  const remoteBranch = refs.find(r => r.ref === `refs/heads/${branch}`);
  await git.clone({
    fs,
    http,
    dir,
    url,
    ref: targetBranch,
    singleBranch: true,
    depth: 1,
    noTags: true,
    onAuth,
  });

  const before: Record<string, string> = {};
  const existed = new Set<string>();
  const after: Record<string, string> = {};
  const readText = (file: string) =>
    fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  for (const [repoPath, content] of Object.entries(changes.files)) {
    const target = resolveInside(dir, repoPath);
    const old = readText(target);
    if (old && old.equals(content)) continue;
    if (old) existed.add(repoPath);
    before[repoPath] = old && isText(old) ? old.toString('utf8') : '';
    after[repoPath] = isText(content) ? content.toString('utf8') : '(binary)';
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, content);
  }
  for (const repoPath of changes.removals) {
    const target = resolveInside(dir, repoPath);
    const old = readText(target);
    if (old === undefined) continue;
    existed.add(repoPath);
    before[repoPath] = isText(old) ? old.toString('utf8') : '(binary)';
    after[repoPath] = '';
    await fs.promises.rm(target);
  }
  const changedPaths = Object.keys(after).sort();
  const diff = changedPaths
    .map(p =>
      createTwoFilesPatch(
        existed.has(p) ? `a/${p}` : '/dev/null',
        changes.removals.includes(p) ? '/dev/null' : `b/${p}`,
        before[p],
        after[p],
      ).replace(/^=+\n/, ''),
    )
    .join('');

  const result = { changedPaths, diff, branchExisted: Boolean(remoteBranch) };
  if (options.dryRun || changedPaths.length === 0) {
    return { ...result, upToDate: changedPaths.length === 0 };
  }

  for (const p of changedPaths) {
    if (changes.removals.includes(p))
      await git.remove({ fs, dir, filepath: p });
    else await git.add({ fs, dir, filepath: p });
  }
  const commitSha = await git.commit({
    fs,
    dir,
    message: options.message,
    author: options.author,
  });
  if (remoteBranch) {
    await git.fetch({
      fs,
      http,
      dir,
      url,
      ref: branch,
      singleBranch: true,
      depth: 1,
      tags: false,
      onAuth,
    });
    const [ours, theirs] = await Promise.all([
      git.readCommit({ fs, dir, oid: commitSha }),
      git.readCommit({ fs, dir, oid: remoteBranch.oid }),
    ]);
    if (ours.commit.tree === theirs.commit.tree) {
      return { ...result, commitSha: remoteBranch.oid, upToDate: true };
    }
  }
  return { ...result, commitSha, upToDate: false };
}

/**
 * Rewrites `files` in the prepared clone and amends its single commit, so the branch stays one
 * commit on the target branch however often it is rebuilt. Returns the new commit.
 */
export async function amendBranch(options: {
  dir: string;
  files: Record<string, Buffer>;
  author: { name: string; email: string };
}): Promise<string> {
  const { dir } = options;
  for (const [repoPath, content] of Object.entries(options.files)) {
    const target = resolveInside(dir, repoPath);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, content);
    await git.add({ fs, dir, filepath: repoPath });
  }
  return git.commit({ fs, dir, amend: true, author: options.author });
}

/** Pushes the prepared commit to the branch (forced: the branch is ours and rebuilt). */
export async function pushBranch(options: {
  dir: string;
  url: string;
  auth: { username: string; password: string };
  targetBranch: string;
  branch: string;
}) {
  const result = await git.push({
    fs,
    http,
    dir: options.dir,
    url: options.url,
    ref: options.targetBranch,
    remoteRef: `refs/heads/${options.branch}`,
    force: true,
    onAuth: () => options.auth,
  });
  if (!result.ok) {
    throw new Error(
      `Pushing ${options.branch} failed: ${
        result.error ?? JSON.stringify(result.refs)
      }`,
    );
  }
}
