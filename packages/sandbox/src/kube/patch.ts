import { badRequest, KubeApiError } from './errors';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch; returns a new value and never mutates the target. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function unprocessable(message: string): KubeApiError {
  const err = badRequest(message);
  err.status.code = 422;
  err.status.reason = 'Invalid';
  return err;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw badRequest(`invalid JSON pointer "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locate(doc: unknown, tokens: string[], pointer: string): any {
  let current: any = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const idx = Number(token);
      if (!Number.isInteger(idx) || idx < 0 || idx >= current.length) {
        throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
      }
      current = current[idx];
    } else if (isPlainObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
    }
  }
  return current;
}

function getValue(doc: unknown, pointer: string): unknown {
  return locate(doc, parsePointer(pointer), pointer);
}

function removeValue(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) {
    throw unprocessable('jsonpatch: cannot remove the whole document');
  }
  const parent = locate(doc, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const idx = Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) {
      throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
    }
    return parent.splice(idx, 1)[0];
  }
  if (!isPlainObject(parent) || !Object.hasOwn(parent, last)) {
    throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
  }
  const value = parent[last];
  delete parent[last];
  return value;
}

function addValue(
  doc: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = locate(doc, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    const max = replace ? parent.length - 1 : parent.length;
    if (!Number.isInteger(idx) || idx < 0 || idx > max) {
      throw unprocessable(`jsonpatch: index out of range in "${pointer}"`);
    }
    parent.splice(idx, replace ? 1 : 0, value);
  } else if (isPlainObject(parent)) {
    if (replace && !Object.hasOwn(parent, last)) {
      throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
    }
    parent[last] = value;
  } else {
    throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
  }
  return doc;
}

/** RFC 6902 JSON patch; works on a copy of the target. */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    throw badRequest('json patch must be an array of operations');
  }
  let doc = structuredClone(target);
  for (const raw of ops as JsonPatchOperation[]) {
    if (!isPlainObject(raw) || typeof raw.path !== 'string') {
      throw badRequest('json patch operation needs "op" and "path"');
    }
    switch (raw.op) {
      case 'add':
        doc = addValue(doc, raw.path, structuredClone(raw.value), false);
        break;
      case 'replace':
        doc = addValue(doc, raw.path, structuredClone(raw.value), true);
        break;
      case 'remove':
        removeValue(doc, raw.path);
        break;
      case 'move': {
        const value = removeValue(doc, raw.from ?? '');
        doc = addValue(doc, raw.path, value, false);
        break;
      }
      case 'copy': {
        const value = structuredClone(getValue(doc, raw.from ?? ''));
        doc = addValue(doc, raw.path, value, false);
        break;
      }
      case 'test': {
        const actual = getValue(doc, raw.path);
        if (JSON.stringify(actual) !== JSON.stringify(raw.value)) {
          throw unprocessable(
            `jsonpatch: test operation for path "${raw.path}" failed`,
          );
        }
        break;
      }
      default:
        throw badRequest(
          `json patch: unsupported operation "${(raw as any).op}"`,
        );
    }
  }
  return doc;
}
