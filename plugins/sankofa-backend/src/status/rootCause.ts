import {
  RootCause,
  StatusCondition,
  StatusNode,
  StatusRollup,
} from '@sankofa/plugin-sankofa-common';
import { KubeObject } from '../cluster/types';
import { refOf, toIso } from './objects';
import { walk } from './tree';

/** Ready=False reasons that mean "still working on it", not "broken". */
const PROGRESS_REASONS = new Set(['Creating', 'Deleting', 'Waiting']);

/** Among failures at the same depth, the reconcile error explains the readiness one. */
const TYPE_RANK: Record<string, number> = { Synced: 0, Ready: 2 };

function isFailing(c: StatusCondition): boolean {
  if (c.status !== 'False') {
    return false;
  }
  return !(c.type === 'Ready' && c.reason && PROGRESS_REASONS.has(c.reason));
}

/**
 * The single root cause of a chain: the deepest failing condition. A claim's Ready=False only
 * echoes its composite's, which echoes the managed resource's, so the deepest one carries the
 * provider's own message (e.g. the Proxmox API error).
 */
export function findRootCause(tree: StatusNode): RootCause | undefined {
  let best:
    | { depth: number; rank: number; at: string; cause: RootCause }
    | undefined;
  walk(tree, (node, depth) => {
    if (!node.found) {
      return;
    }
    for (const c of node.conditions) {
      if (!isFailing(c)) {
        continue;
      }
      const rank = TYPE_RANK[c.type] ?? 1;
      const at = c.lastTransitionTime ?? '';
      const better =
        !best ||
        depth > best.depth ||
        (depth === best.depth &&
          (rank < best.rank || (rank === best.rank && at < best.at)));
      if (better) {
        best = {
          depth,
          rank,
          at,
          cause: {
            resource: { ...node.ref, role: node.role },
            conditionType: c.type,
            reason: c.reason ?? 'Unknown',
            message: c.message ?? '',
            ...(c.lastTransitionTime ? { since: c.lastTransitionTime } : {}),
          },
        };
      }
    }
  });
  return best?.cause;
}

/**
 * When nothing is in the cluster yet, a failed ArgoCD sync is why (e.g. the claim YAML was
 * rejected by the API server).
 */
export function applicationRootCause(
  app: KubeObject | undefined,
): RootCause | undefined {
  if (!app) {
    return undefined;
  }
  const op = app.status?.operationState;
  if (op && (op.phase === 'Failed' || op.phase === 'Error')) {
    return {
      resource: { ...refOf(app), role: 'application' },
      conditionType: 'Sync',
      reason: `Sync${op.phase}`,
      message: String(op.message ?? ''),
      ...(toIso(op.finishedAt) ? { since: toIso(op.finishedAt) } : {}),
    };
  }
  const conditions: any[] = Array.isArray(app.status?.conditions)
    ? app.status.conditions
    : [];
  const error = conditions.find(
    c => typeof c?.type === 'string' && c.type.endsWith('Error'),
  );
  if (error) {
    return {
      resource: { ...refOf(app), role: 'application' },
      conditionType: error.type,
      reason: error.type,
      message: String(error.message ?? ''),
      ...(toIso(error.lastTransitionTime)
        ? { since: toIso(error.lastTransitionTime) }
        : {}),
    };
  }
  return undefined;
}

/**
 * The rollup shown on top of the page. `clusterKnown` is false while the cluster's cache never
 * completed a list: then a missing claim means "unknown", not "pending".
 */
export function rollup(
  tree: StatusNode | undefined,
  app: KubeObject | undefined,
  clusterKnown: boolean,
): StatusRollup {
  if (!tree) {
    const cause = applicationRootCause(app);
    if (cause) {
      return {
        state: 'Failed',
        synced: 'Unknown',
        ready: 'Unknown',
        rootCause: cause,
      };
    }
    return {
      state: clusterKnown ? 'Pending' : 'Unknown',
      synced: 'Unknown',
      ready: 'Unknown',
    };
  }
  const rootCause = findRootCause(tree);
  const base = { synced: tree.synced, ready: tree.ready };
  if (tree.deleting) {
    return { state: 'Deleting', ...base, ...(rootCause ? { rootCause } : {}) };
  }
  if (rootCause) {
    return { state: 'Failed', ...base, rootCause };
  }
  return { state: tree.ready === 'True' ? 'Ready' : 'Creating', ...base };
}
