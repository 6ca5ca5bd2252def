import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const REPO_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../..',
);

export interface RunningPortal {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export interface PortalOptions {
  port?: number;
  /** Extra environment, e.g. APP_CONFIG_* overrides pointing the portal at a test IdP. */
  env?: Record<string, string>;
  /**
   * Config files loaded after app-config.yaml, in order (absolute paths), e.g. the sandbox's
   * app-config.sandbox.yaml and a test overlay.
   */
  configs?: string[];
}

/**
 * Starts the portal backend, which also serves the built frontend (packages/app/dist) through the
 * app-backend plugin, so the browser loads exactly what a deployment serves.
 */
export async function startPortal(
  options: number | PortalOptions = {},
): Promise<RunningPortal> {
  const {
    port = 7107,
    env = {},
    configs = [],
  } = typeof options === 'number' ? { port: options } : options;
  if (!existsSync(join(REPO_ROOT, 'packages/app/dist/index.html'))) {
    throw new Error(
      'packages/app/dist is missing: build the portal first (yarn build:all)',
    );
  }
  const baseUrl = `http://localhost:${port}`;
  // The backend runs directly under Backstage's TypeScript transform, as `backstage-cli package
  // start` runs it but without its file watcher, which would restart the portal mid-test whenever
  // a source file changes.
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      // Naming any --config replaces the default, so app-config.yaml comes first explicitly.
      ...(configs.length
        ? [join(REPO_ROOT, 'app-config.yaml'), ...configs].flatMap(file => [
            '--config',
            file,
          ])
        : []),
    ],
    {
      cwd: join(REPO_ROOT, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_app_baseUrl: baseUrl,
        APP_CONFIG_backend_baseUrl: baseUrl,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_cors_origin: baseUrl,
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const stop = () => stopProcessGroup(child);
  // Never leave a backend behind, whatever happens to the test process.
  process.once('exit', () => {
    if (child.exitCode === null && child.pid)
      process.kill(-child.pid, 'SIGKILL');
  });
  try {
    await waitForReady(
      `${baseUrl}/.backstage/health/v1/readiness`,
      child,
      () => output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, output: () => output, stop };
}

async function waitForReady(
  url: string,
  child: ChildProcess,
  output: () => string,
) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `the backend exited with ${child.exitCode}:\n${output()}`,
      );
    }
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`the backend was not ready within 120 s:\n${output()}`);
}

/** SIGTERM to the child's process group (spawned detached), SIGKILL after 10 s. */
export async function stopProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise(r => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
