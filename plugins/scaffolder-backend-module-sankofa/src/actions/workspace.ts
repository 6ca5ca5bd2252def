import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { normalizeRepoPath, resolveInside } from '../render/paths';

/** Where the VM actions put files: a directory of the workspace mirroring the repository. */
export const DEFAULT_SOURCE_PATH = 'gitops';

export function sourceRoot(workspacePath: string, sourcePath?: string): string {
  return resolveSafeChildPath(
    workspacePath,
    normalizeRepoPath(sourcePath ?? DEFAULT_SOURCE_PATH, 'targetPath'),
  );
}

/** Writes repository files (path → text) under `root`, all paths checked first. */
export async function writeRepoFiles(
  root: string,
  files: Record<string, string>,
): Promise<void> {
  const targets = Object.entries(files).map(
    ([repoPath, text]) => [resolveInside(root, repoPath), text] as const,
  );
  for (const [target, text] of targets) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text, 'utf8');
  }
}
