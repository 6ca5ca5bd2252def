import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitCommandError, runGit, RunGitOptions } from './gitCli';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601; defaults to now. */
  date?: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<GitIdentity>;
  committer: Required<GitIdentity>;
  message: string;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Blob size in bytes; 0 for trees and submodules. */
  size: number;
  /** Full path from the repository root. */
  path: string;
}

export type FileChange =
  | { operation: 'put'; path: string; content: Buffer }
  | { operation: 'delete'; path: string };

/** A branch or tag name as git accepts it, and without tricks for the CLI. */
export function isValidRefName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 250 &&
    /^[A-Za-z0-9._/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.split('/').some(part => part.startsWith('.'))
  );
}

/**
 * Normalises a repository-relative file path, or returns undefined when it
 * would escape the repository or touch git's own metadata.
 */
export function normaliseRepoPath(input: string): string | undefined {
  const trimmed = input.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!trimmed || trimmed.includes('\0') || trimmed.includes('\\')) {
    return undefined;
  }
  const parts = trimmed.split('/');
  if (
    parts.some(
      p => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git',
    )
  ) {
    return undefined;
  }
  return parts.join('/');
}

/**
 * A bare repository on disk, read and written with git plumbing only, so the
 * server never needs a work tree and every write is one atomic ref update.
 */
export class GitRepository {
  constructor(readonly gitDir: string, private readonly home: string) {}

  static async init(
    gitDir: string,
    home: string,
    defaultBranch: string,
  ): Promise<GitRepository> {
    fs.mkdirSync(path.dirname(gitDir), { recursive: true });
    await runGit(
      [
        'init',
        '--bare',
        '--quiet',
        `--initial-branch=${defaultBranch}`,
        gitDir,
      ],
      home,
    );
    const repo = new GitRepository(gitDir, home);
    // Smart HTTP pushes arrive as the authenticated user; allow them here
    // rather than relying on REMOTE_USER defaults.
    await repo.git(['config', 'http.receivepack', 'true']);
    await repo.git(['config', 'receive.denyNonFastForwards', 'false']);
    return repo;
  }

  git(args: string[], options: Omit<RunGitOptions, 'gitDir'> = {}) {
    return runGit(args, this.home, { ...options, gitDir: this.gitDir });
  }

  private async text(args: string[], options?: Omit<RunGitOptions, 'gitDir'>) {
    return (await this.git(args, options)).stdout.toString('utf8');
  }

  async isEmpty(): Promise<boolean> {
    return (await this.listBranches()).length === 0;
  }

  /** Branch name → head commit sha. */
  async listBranches(): Promise<Array<{ name: string; sha: string }>> {
    const out = await this.text([
      'for-each-ref',
      '--format=%(refname:strip=2)%00%(objectname)',
      'refs/heads',
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [name, sha] = line.split('\0');
        return { name, sha };
      });
  }

  async branchSha(branch: string): Promise<string | undefined> {
    if (!isValidRefName(branch)) {
      return undefined;
    }
    return this.revParse(`refs/heads/${branch}`);
  }

  private async revParse(spec: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.git(
      ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`],
      { okExitCodes: [1, 128] },
    );
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  /** Resolves a branch, tag or (abbreviated) commit sha to a commit sha. */
  async resolveRef(ref: string): Promise<string | undefined> {
    if (!isValidRefName(ref)) {
      return undefined;
    }
    return (
      (await this.revParse(`refs/heads/${ref}`)) ??
      (await this.revParse(`refs/tags/${ref}`)) ??
      (/^[0-9a-f]{4,40}$/i.test(ref) ? await this.revParse(ref) : undefined)
    );
  }

  async commitInfo(sha: string): Promise<CommitInfo> {
    const out = await this.text([
      'show',
      '-s',
      '--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B',
      sha,
    ]);
    const [h, tree, parents, an, ae, ad, cn, ce, cd, ...body] = out.split('\0');
    return {
      sha: h,
      tree,
      parents: parents ? parents.split(' ') : [],
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: body.join('\0').replace(/\n+$/, '\n'),
    };
  }

  /** The entry at `filePath` in `commit`, or undefined; '' is the root tree. */
  async entryAt(
    commit: string,
    filePath: string,
  ): Promise<TreeEntry | undefined> {
    if (filePath === '') {
      const tree = (await this.text(['rev-parse', `${commit}^{tree}`])).trim();
      return { mode: '040000', type: 'tree', sha: tree, size: 0, path: '' };
    }
    const out = await this.text([
      'ls-tree',
      '-z',
      '-l',
      commit,
      '--',
      filePath,
    ]);
    const entry = parseLsTree(out, '')[0];
    return entry && entry.path === filePath ? entry : undefined;
  }

  /** Direct children of the directory `dirPath` ('' for the root). */
  async listDirectory(commit: string, dirPath: string): Promise<TreeEntry[]> {
    const treeish = dirPath ? `${commit}:${dirPath}` : `${commit}^{tree}`;
    const out = await this.text(['ls-tree', '-z', '-l', treeish]);
    return parseLsTree(out, dirPath);
  }

  async readBlob(sha: string): Promise<Buffer> {
    return (await this.git(['cat-file', 'blob', sha])).stdout;
  }

  /** File content at a ref, or undefined when the ref or file is missing. */
  async readFile(ref: string, filePath: string): Promise<Buffer | undefined> {
    const commit = await this.resolveRef(ref);
    const normalised = normaliseRepoPath(filePath);
    if (!commit || !normalised) {
      return undefined;
    }
    const entry = await this.entryAt(commit, normalised);
    return entry?.type === 'blob' ? this.readBlob(entry.sha) : undefined;
  }

  /** The sha of the last commit reachable from `commit` that touched `filePath`. */
  async lastCommitFor(commit: string, filePath: string): Promise<string> {
    const args = ['log', '-1', '--format=%H', commit];
    if (filePath) {
      args.push('--', filePath);
    }
    return (await this.text(args)).trim() || commit;
  }

  /**
   * Writes one commit applying `changes` on top of `parent` (or as a root
   * commit) and returns its sha. Refs are not touched.
   */
  async writeCommit(options: {
    parent?: string;
    changes: FileChange[];
    message: string;
    author: GitIdentity;
    committer?: GitIdentity;
  }): Promise<string> {
    const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-git-idx-'));
    const env = { GIT_INDEX_FILE: path.join(indexDir, 'index') };
    try {
      if (options.parent) {
        await this.git(['read-tree', options.parent], { env });
      } else {
        await this.git(['read-tree', '--empty'], { env });
      }
      const lines: string[] = [];
      for (const change of options.changes) {
        if (change.operation === 'put') {
          const blob = (
            await this.text(['hash-object', '-w', '--stdin'], {
              input: change.content,
            })
          ).trim();
          lines.push(`100644 ${blob}\t${change.path}`);
        } else {
          lines.push(`0 ${ZERO_SHA}\t${change.path}`);
        }
      }
      if (lines.length > 0) {
        await this.git(['update-index', '-z', '--index-info'], {
          env,
          input: `${lines.join('\0')}\0`,
        });
      }
      const tree = (await this.text(['write-tree'], { env })).trim();
      return await this.commitTree(
        tree,
        options.parent ? [options.parent] : [],
        options.message,
        options.author,
        options.committer,
      );
    } finally {
      fs.rmSync(indexDir, { recursive: true, force: true });
    }
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    author: GitIdentity,
    committer: GitIdentity = author,
  ): Promise<string> {
    const now = new Date().toISOString();
    const args = ['commit-tree', tree];
    for (const p of parents) {
      args.push('-p', p);
    }
    const out = await this.text(args, {
      input: message.endsWith('\n') ? message : `${message}\n`,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: author.date ?? now,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: committer.date ?? now,
      },
    });
    return out.trim();
  }

  /**
   * Moves a branch from `expectedOld` to `sha` atomically; fails when
   * someone else moved it in between (e.g. a concurrent git push).
   */
  async updateBranch(branch: string, sha: string, expectedOld: string) {
    await this.git(['update-ref', `refs/heads/${branch}`, sha, expectedOld]);
  }

  async deleteBranch(branch: string, expectedOld: string) {
    await this.git(['update-ref', '-d', `refs/heads/${branch}`, expectedOld]);
  }

  async setDefaultBranch(branch: string) {
    await this.git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const { exitCode } = await this.git(
      ['merge-base', '--is-ancestor', ancestor, descendant],
      { okExitCodes: [1] },
    );
    return exitCode === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.git(['merge-base', a, b], {
      okExitCodes: [1],
    });
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  /** Three-way merges two commits in memory; the tree, or conflicts. */
  async mergeTrees(
    base: string,
    head: string,
  ): Promise<
    { clean: true; tree: string } | { clean: false; conflicts: string[] }
  > {
    try {
      const { stdout, exitCode } = await this.git(
        ['merge-tree', '--write-tree', '--name-only', '-z', base, head],
        { okExitCodes: [1] },
      );
      const parts = stdout.toString('utf8').split('\0');
      if (exitCode === 0) {
        return { clean: true, tree: parts[0].trim() };
      }
      const conflicts = parts.slice(1).filter(p => p && !p.includes('\n'));
      return { clean: false, conflicts };
    } catch (error) {
      // Unrelated histories and similar refusals are "not mergeable" too.
      if (error instanceof GitCommandError) {
        return { clean: false, conflicts: [] };
      }
      throw error;
    }
  }

  /** Unified diff of what `head` adds relative to its merge base with `base`. */
  async diff(base: string, head: string): Promise<string> {
    const from = (await this.mergeBase(base, head)) ?? base;
    return this.text(['diff', '--no-color', '--full-index', from, head]);
  }

  async formatPatch(base: string, head: string): Promise<string> {
    return this.text(['format-patch', '--stdout', `${base}..${head}`]);
  }

  async changedFiles(base: string, head: string): Promise<number> {
    const from = (await this.mergeBase(base, head)) ?? base;
    const out = await this.text(['diff', '--name-only', '-z', from, head]);
    return out.split('\0').filter(Boolean).length;
  }

  /** A gzipped tarball of `commit` with every path under `prefix/`. */
  async archive(commit: string, prefix: string): Promise<Buffer> {
    return (
      await this.git([
        'archive',
        '--format=tar.gz',
        `--prefix=${prefix}/`,
        commit,
      ])
    ).stdout;
  }
}

function parseLsTree(out: string, dirPath: string): TreeEntry[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map(record => {
      const tab = record.indexOf('\t');
      const [mode, type, sha, size] = record.slice(0, tab).split(/\s+/);
      const name = record.slice(tab + 1);
      return {
        mode,
        type: type as TreeEntry['type'],
        sha,
        size: size === '-' ? 0 : Number(size),
        path: dirPath ? `${dirPath}/${name}` : name,
      };
    });
}
