import path from 'node:path';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';

const VARIABLE = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;
// Values that may fill a path template: DNS-1123 names and cluster names.
const SAFE_SEGMENT = /^[a-z0-9A-Z]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

/**
 * Renders a path template such as `clusters/{{cluster}}/vms/{{namespace}}/{{name}}.yaml` into a
 * repository-relative POSIX path. Values must be single safe path segments and the result must
 * stay inside the repository: a template or value that escapes is a configuration or input
 * error, never a write elsewhere.
 */
export function renderRepoPath(
  template: string,
  values: Record<string, string>,
): string {
  const rendered = template.replace(VARIABLE, (_, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(`Path template "${template}" uses unknown {{${key}}}`);
    }
    if (!SAFE_SEGMENT.test(value) || value.includes('..')) {
      throw new InputError(
        `${key}: "${value}" cannot be used in a repository path`,
      );
    }
    return value;
  });
  return normalizeRepoPath(rendered, 'path template');
}

/** A repository-relative path with no `..`, no absolute root and forward slashes only. */
export function normalizeRepoPath(value: string, field: string): string {
  if (value.includes('\\') || value.includes('\0')) {
    throw new InputError(`${field}: "${value}" must use forward slashes`);
  }
  const normalized = path.posix.normalize(value).replace(/^\.\//, '');
  if (
    path.posix.isAbsolute(normalized) ||
    normalized === '.' ||
    normalized.split('/').includes('..')
  ) {
    throw new InputError(
      `${field}: "${value}" must be a relative path inside the repository`,
    );
  }
  return normalized;
}

/** The absolute location of a repository path inside a checkout or workspace directory. */
export function resolveInside(root: string, repoPath: string): string {
  return resolveSafeChildPath(root, normalizeRepoPath(repoPath, 'path'));
}

/** `to` relative to the directory of `fromFile`, e.g. for kustomization resources. */
export function relativeFrom(fromFile: string, to: string): string {
  return path.posix.relative(path.posix.dirname(fromFile), to);
}
