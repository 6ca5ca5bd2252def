import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_VM_CLAIM,
  ClaimRef,
  TERASKY_CLAIM_ANNOTATIONS,
  parseClaimRef,
} from '@sankofa/plugin-sankofa-common';
import { ClusterViews } from '../cluster/types';
import { ClaimApi } from './api';

const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';

/** Parses `a=b,c=d` (equality only, as the Kubernetes plugin's annotation uses). */
export function parseEqualitySelector(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]*)$/.exec(part);
    if (!m) {
      throw new InputError(
        `annotation ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}: "${part}" is not a key=value requirement`,
      );
    }
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * The cluster TeraSky's ingestor recorded: its managed-by-location reads `cluster origin: <name>`;
 * with a single cluster configured, that one.
 */
function terraskyCluster(
  entity: Entity,
  views: ClusterViews,
): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[KUBERNETES_CLUSTER_ANNOTATION];
  if (explicit) {
    return explicit;
  }
  const location = annotations[TERASKY_CLAIM_ANNOTATIONS.cluster] ?? '';
  const m = /cluster origin:\s*([A-Za-z0-9._-]+)/.exec(location);
  if (m) {
    return m[1];
  }
  const all = views.clusters();
  return all.length === 1 ? all[0].name : undefined;
}

/**
 * Which claim an entity is about: `sankofa.io/vm-claim`, else TeraSky's claim annotations, else
 * `backstage.io/kubernetes-label-selector` matched against the cached claims. Undefined when the
 * entity names no claim at all; an InputError when an annotation is malformed.
 */
export function resolveClaimRef(
  entity: Entity,
  views: ClusterViews,
  api: ClaimApi,
): ClaimRef | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const direct = annotations[ANNOTATION_VM_CLAIM];
  if (direct) {
    try {
      return parseClaimRef(direct);
    } catch (e) {
      throw new InputError(
        `annotation ${ANNOTATION_VM_CLAIM}: ${(e as Error).message}`,
      );
    }
  }
  const name = annotations[TERASKY_CLAIM_ANNOTATIONS.name];
  const namespace = annotations[TERASKY_CLAIM_ANNOTATIONS.namespace];
  if (name && namespace) {
    const cluster = terraskyCluster(entity, views);
    return cluster ? { cluster, namespace, name } : undefined;
  }
  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
  if (selector) {
    const wanted = Object.entries(parseEqualitySelector(selector));
    const cluster = annotations[KUBERNETES_CLUSTER_ANNOTATION];
    for (const view of views.clusters()) {
      if (cluster && view.name !== cluster) {
        continue;
      }
      const match = view
        .list(api.apiVersion, api.kind)
        .filter(o => wanted.every(([k, v]) => o.metadata?.labels?.[k] === v))
        .sort((a, b) =>
          `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
            `${b.metadata?.namespace}/${b.metadata?.name}`,
          ),
        )[0];
      if (match?.metadata?.name && match.metadata.namespace) {
        return {
          cluster: view.name,
          namespace: match.metadata.namespace,
          name: match.metadata.name,
        };
      }
    }
  }
  return undefined;
}
