import {
  DesiredObservedDiff,
  StatusNode,
} from '@sankofa/plugin-sankofa-common';

/** References and secret selectors are inputs to the provider, never observed back. */
function isReferenceKey(key: string): boolean {
  return /(Ref|Refs|Selector)$/.test(key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Proxmox returns numbers as strings in places ("60") and sorts tags: compare loosely. */
function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (isScalar(a) && isScalar(b) && String(a) === String(b));
}

function compare(
  desired: unknown,
  observed: unknown,
  path: string,
  out: Array<{ path: string; desired: unknown; observed?: unknown }>,
) {
  if (isPlainObject(desired)) {
    for (const [key, value] of Object.entries(desired)) {
      if (isReferenceKey(key)) {
        continue;
      }
      compare(
        value,
        isPlainObject(observed) ? observed[key] : undefined,
        path ? `${path}.${key}` : key,
        out,
      );
    }
    return;
  }
  if (Array.isArray(desired)) {
    if (desired.every(isScalar)) {
      const a = desired.map(String).sort();
      const b = Array.isArray(observed)
        ? observed.map(String).sort()
        : undefined;
      if (!b || a.length !== b.length || a.some((v, i) => v !== b[i])) {
        out.push({ path, desired, observed });
      }
      return;
    }
    desired.forEach((item, i) =>
      compare(
        item,
        Array.isArray(observed) ? observed[i] : undefined,
        `${path}[${i}]`,
        out,
      ),
    );
    return;
  }
  if (!sameScalar(desired, observed)) {
    out.push({
      path,
      desired,
      ...(observed !== undefined ? { observed } : {}),
    });
  }
}

/**
 * spec.forProvider versus status.atProvider of every managed resource in the tree. Until the
 * provider observed anything (empty atProvider), there is nothing to compare.
 */
export function desiredVsObserved(
  tree: StatusNode | undefined,
): DesiredObservedDiff[] {
  const diffs: DesiredObservedDiff[] = [];
  const visit = (node: StatusNode) => {
    if (node.role === 'managed' && node.manifest) {
      const spec = node.manifest.spec as any;
      const status = node.manifest.status as any;
      const atProvider = status?.atProvider;
      if (
        isPlainObject(spec?.forProvider) &&
        isPlainObject(atProvider) &&
        Object.keys(atProvider).length > 0
      ) {
        const out: Array<{
          path: string;
          desired: unknown;
          observed?: unknown;
        }> = [];
        compare(spec.forProvider, atProvider, '', out);
        diffs.push(...out.map(d => ({ resource: node.ref, ...d })));
      }
    }
    node.children.forEach(visit);
  };
  if (tree) {
    visit(tree);
  }
  return diffs;
}
