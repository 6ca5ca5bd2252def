import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, stopProcessGroup } from './portal.ts';

/** The sandbox's fixed endpoints (see packages/sandbox/src/sandbox.ts). */
export const SANDBOX = {
  idpIssuer: 'http://localhost:8180/realms/sankofa',
  gitUrl: 'http://localhost:3030',
  gitopsRepo: 'platform/sankofa-gitops',
  controlUrl: 'http://127.0.0.1:8190',
  /** The reviewer account on the Git host. */
  reviewerToken: 'sandbox-platform-token',
};

export interface SandboxOptions {
  /** How long the Proxmox stand-in takes to create a VM. */
  provisionSeconds: number;
  /** How often the ArgoCD stand-in polls Git; large values leave syncing to refresh(). */
  pollSeconds: number;
}

export interface RunningSandbox {
  /** The app-config.sandbox.yaml it wrote, for startPortal's `configs`. */
  configFile: string;
  /** A fresh temp dir owned by this run (state, config files); removed by stop(). */
  dir: string;
  output(): string;
  /** ArgoCD "Refresh": every cluster's Application syncs from Git now. */
  refresh(): Promise<void>;
  /** Merges a pull request on the GitOps repo as the reviewer. */
  mergePullRequest(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `sankofa-sandbox start` (IdP, Kubernetes API stand-ins, Git host, reconcilers) on its
 * default ports with fresh state in a temp dir, and waits for `sandbox ready`.
 */
export async function startSandbox(
  options: SandboxOptions,
): Promise<RunningSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sankofa-e2e-'));
  const configFile = join(dir, 'app-config.sandbox.yaml');
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'packages/sandbox/bin/sankofa-sandbox'),
      'start',
      '--config-out',
      configFile,
      '--state-dir',
      join(dir, 'state'),
      '--provision-seconds',
      String(options.provisionSeconds),
      '--poll-seconds',
      String(options.pollSeconds),
    ],
    {
      cwd: join(REPO_ROOT, 'packages/sandbox'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  process.once('exit', () => {
    if (child.exitCode === null && child.pid)
      process.kill(-child.pid, 'SIGKILL');
  });

  const stop = async () => {
    await stopProcessGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the sandbox did not start:\n${output}`)),
        60_000,
      );
      child.stdout!.on('data', () => {
        if (output.includes('sandbox ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', code => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited with ${code}:\n${output}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    configFile,
    dir,
    output: () => output,
    async refresh() {
      const res = await fetch(`${SANDBOX.controlUrl}/refresh`, {
        method: 'POST',
      });
      if (!res.ok) throw new Error(`refresh failed: ${res.status}`);
    },
    async mergePullRequest(index: number) {
      const res = await fetch(
        `${SANDBOX.gitUrl}/api/v1/repos/${SANDBOX.gitopsRepo}/pulls/${index}/merge`,
        {
          method: 'POST',
          headers: {
            Authorization: `token ${SANDBOX.reviewerToken}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ Do: 'merge' }),
        },
      );
      if (!res.ok) {
        throw new Error(
          `merging pull request ${index} failed: ${
            res.status
          } ${await res.text()}`,
        );
      }
    },
    stop,
  };
}
