import {
  CROSSPLANE_LABELS,
  ObjectRef,
  ResourceRole,
  StatusNode,
} from '@sankofa/plugin-sankofa-common';
import { ClusterView, KubeObject } from '../cluster/types';
import {
  cleanManifest,
  conditionStatus,
  conditionsOf,
  refOf,
  toIso,
} from './objects';
import { ClaimApi, ManagedApi } from './api';

/** Builds a node from a cached object (or a not-found placeholder for a dangling ref). */
/**
 * Full documents carry a cleaned copy of every object; the fleet list only reads the raw cached
 * object (never serialised) so listing thousands of VMs copies nothing.
 */
export interface TreeOptions {
  copyManifests: boolean;
}

// buildTree is synchronous, so the options of the call in progress can live here instead of
// being threaded through every helper.
let currentOptions: TreeOptions = { copyManifests: true };

function toNode(
  role: ResourceRole,
  ref: ObjectRef,
  obj: KubeObject | undefined,
  children: StatusNode[] = [],
): StatusNode {
  if (!obj) {
    return {
      role,
      ref,
      found: false,
      synced: 'Unknown',
      ready: 'Unknown',
      conditions: [],
      children,
    };
  }
  const conditions = conditionsOf(obj);
  return {
    role,
    ref: refOf(obj),
    found: true,
    synced: conditionStatus(conditions, 'Synced'),
    ready: conditionStatus(conditions, 'Ready'),
    conditions,
    createdAt: toIso(obj.metadata?.creationTimestamp),
    ...(obj.metadata?.deletionTimestamp ? { deleting: true } : {}),
    manifest: currentOptions.copyManifests
      ? cleanManifest(obj)
      : (obj as Record<string, unknown>),
    children,
  };
}

interface RawRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

function isRawRef(
  value: unknown,
): value is Required<Omit<RawRef, 'namespace'>> & RawRef {
  const r = value as RawRef;
  return (
    !!r &&
    typeof r.apiVersion === 'string' &&
    typeof r.kind === 'string' &&
    typeof r.name === 'string'
  );
}

/** Resolves a ref's namespace from the watched kind's scope (refs often omit it). */
function lookup(
  view: ClusterView,
  raw: RawRef & { apiVersion: string; kind: string; name: string },
  defaultNamespace: string | undefined,
): { ref: ObjectRef; obj?: KubeObject } {
  const kind = view.watchedKind(raw.apiVersion, raw.kind);
  const namespace = kind?.namespaced
    ? raw.namespace ?? defaultNamespace
    : undefined;
  const ref: ObjectRef = {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    name: raw.name,
    ...(namespace ? { namespace } : {}),
  };
  return {
    ref,
    obj: kind
      ? view.get(raw.apiVersion, raw.kind, raw.name, namespace)
      : undefined,
  };
}

/**
 * Composed resources of an XR: Crossplane v1 lists them in spec.resourceRefs, v2 in
 * spec.crossplane.resourceRefs. Before the XR records them, fall back to the composite label.
 */
function composedNodes(
  view: ClusterView,
  xr: KubeObject,
  managedApis: ManagedApi[],
): StatusNode[] {
  const refs: unknown[] =
    xr.spec?.crossplane?.resourceRefs ?? xr.spec?.resourceRefs ?? [];
  const xrNamespace = xr.metadata?.namespace;
  if (Array.isArray(refs) && refs.length > 0) {
    return refs.filter(isRawRef).map(raw => {
      const { ref, obj } = lookup(view, raw, xrNamespace);
      return toNode('managed', ref, obj);
    });
  }
  const xrName = xr.metadata?.name;
  const found: StatusNode[] = [];
  for (const api of managedApis) {
    for (const obj of view.list(api.apiVersion, api.kind, xrNamespace)) {
      if (obj.metadata?.labels?.[CROSSPLANE_LABELS.composite] === xrName) {
        found.push(toNode('managed', refOf(obj), obj));
      }
    }
  }
  return found;
}

function compositeNode(
  view: ClusterView,
  xr: KubeObject,
  managedApis: ManagedApi[],
): StatusNode {
  return toNode(
    'composite',
    refOf(xr),
    xr,
    composedNodes(view, xr, managedApis),
  );
}

/**
 * The chain for one claim: claim → composite (spec.resourceRef) → managed resources (Crossplane
 * v1), or namespaced XR → managed resources (Crossplane v2). Undefined when the top object is not
 * in the cache.
 */
export function buildTree(
  view: ClusterView,
  api: ClaimApi,
  namespace: string,
  name: string,
  options: TreeOptions = { copyManifests: true },
): StatusNode | undefined {
  currentOptions = options;
  const top = view.get(api.apiVersion, api.kind, name, namespace);
  if (!top) {
    return undefined;
  }
  // A v2 XR carries spec.crossplane; a claim carries spec.resourceRef (or nothing yet).
  const isXr =
    api.mode === 'namespacedXR' ||
    top.spec?.crossplane !== undefined ||
    Array.isArray(top.spec?.resourceRefs);
  if (isXr) {
    return compositeNode(view, top, api.managed);
  }
  const xrRef = top.spec?.resourceRef;
  if (isRawRef(xrRef)) {
    const { ref, obj } = lookup(view, xrRef, undefined);
    const child = obj
      ? compositeNode(view, obj, api.managed)
      : toNode('composite', ref, undefined);
    return toNode('claim', refOf(top), top, [child]);
  }
  // Claim not bound yet: look for its composite by the claim labels.
  const xr = api.composite
    ? view
        .list(api.composite.apiVersion, api.composite.kind)
        .find(
          o =>
            o.metadata?.labels?.[CROSSPLANE_LABELS.claimName] === name &&
            o.metadata?.labels?.[CROSSPLANE_LABELS.claimNamespace] ===
              namespace,
        )
    : undefined;
  return toNode(
    'claim',
    refOf(top),
    top,
    xr ? [compositeNode(view, xr, api.managed)] : [],
  );
}

/** Every node of the tree, depth-first, with its depth (claim = 0). */
export function walk(
  node: StatusNode,
  visit: (n: StatusNode, depth: number) => void,
  depth = 0,
) {
  visit(node, depth);
  for (const child of node.children) {
    walk(child, visit, depth + 1);
  }
}
