import { spawn } from 'node:child_process';

/** Raised when a git command exits with a non-zero status. */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: Buffer,
  ) {
    super(`git ${args.join(' ')} failed (${exitCode}): ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

export interface RunGitOptions {
  gitDir?: string;
  cwd?: string;
  input?: Buffer | string;
  env?: Record<string, string | undefined>;
  /** Exit codes that are answers rather than failures (e.g. merge-tree's 1). */
  okExitCodes?: number[];
}

/**
 * An environment that keeps the host's own git configuration out of the
 * sandbox: the repositories must behave the same on every machine.
 */
export function isolatedGitEnv(
  home: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
}

/** Runs git with arguments (never through a shell) and collects its output. */
export function runGit(
  args: string[],
  home: string,
  options: RunGitOptions = {},
): Promise<GitResult> {
  const fullArgs = options.gitDir
    ? [`--git-dir=${options.gitDir}`, ...args]
    : args;
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      cwd: options.cwd,
      env: isolatedGitEnv(home, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => err.push(d));
    child.on('error', reject);
    child.on('close', code => {
      const stdout = Buffer.concat(out);
      const ok = [0, ...(options.okExitCodes ?? [])];
      if (code !== null && ok.includes(code)) {
        resolve({ stdout, exitCode: code });
      } else {
        reject(
          new GitCommandError(
            args,
            code,
            Buffer.concat(err).toString('utf8'),
            stdout,
          ),
        );
      }
    });
    // A child that exits early closes stdin; that is reported via 'close'.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
