import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A bare local mirror of one branch of a remote repository, fetched over HTTP with real git — the
 * way ArgoCD's repo-server reads a GitOps repository.
 */
export class GitMirror {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sankofa-argocd-'));
  private initialised = false;

  constructor(
    private readonly repoUrl: string,
    private readonly branch: string,
  ) {}

  /** Fetches the branch and returns its head commit. */
  async fetch(): Promise<string> {
    if (!this.initialised) {
      await this.git('init', '--bare', '--quiet');
      this.initialised = true;
    }
    await this.git(
      'fetch',
      '--quiet',
      '--force',
      this.repoUrl,
      `+refs/heads/${this.branch}:refs/heads/${this.branch}`,
    );
    return (await this.git('rev-parse', `refs/heads/${this.branch}`)).trim();
  }

  /** The file's content at a revision, or undefined when it does not exist there. */
  async read(revision: string, path: string): Promise<string | undefined> {
    try {
      return await this.git('show', `${revision}:${path}`);
    } catch {
      return undefined;
    }
  }

  private async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, {
      cwd: this.dir,
      env: { ...process.env, GIT_DIR: this.dir, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }
}
