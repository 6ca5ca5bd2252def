import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './portal.ts';

export interface RunningIdp {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the sandbox's Keycloak-compatible IdP (packages/sandbox/src/idp) on a free port. */
export async function startIdp(): Promise<RunningIdp> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      join(REPO_ROOT, 'packages/sandbox/src/idp/run.ts'),
      '--port',
      '0',
    ],
    {
      cwd: join(REPO_ROOT, 'packages/sandbox'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  process.once('exit', () => child.kill('SIGKILL'));
  let output = '';
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`IdP did not start:\n${output}`)),
      30_000,
    );
    child.stderr!.on('data', d => (output += d));
    child.stdout!.on('data', d => {
      output += d;
      const ready = /IdP ready (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', code =>
      reject(new Error(`IdP exited with ${code}:\n${output}`)),
    );
  });
  return {
    issuer,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
