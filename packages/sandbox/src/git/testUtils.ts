import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit } from './gitCli';

/**
 * A git command-line client for tests: its own HOME and no system or global
 * config, so only what the test passes with -c matters.
 */
export function createGitClient() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-git-client-'));
  const identity = [
    '-c',
    'user.name=Test Client',
    '-c',
    'user.email=client@example.test',
  ];
  return {
    home,
    dir: (name: string) => path.join(home, name),
    async run(args: string[], cwd?: string) {
      const { stdout } = await runGit([...identity, ...args], home, { cwd });
      return stdout.toString('utf8');
    },
    /** Runs git and reports failure instead of throwing. */
    async attempt(args: string[], cwd?: string) {
      try {
        await runGit([...identity, ...args], home, { cwd });
        return { ok: true, stderr: '' };
      } catch (error) {
        return {
          ok: false,
          stderr: String((error as { stderr?: string }).stderr ?? error),
        };
      }
    },
    cleanup() {
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `http://user:token@host/...` — how git is given credentials in tests. */
export function withCredentials(url: string, login: string, token: string) {
  const u = new URL(url);
  u.username = login;
  u.password = token;
  return u.toString();
}

export const TEST_USERS = [
  { login: 'platform', token: 'platform-token', admin: true },
  { login: 'kofi', token: 'kofi-token' },
  { login: 'esi', token: 'esi-token' },
];
