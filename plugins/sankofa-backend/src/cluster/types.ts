import { Freshness } from '@sankofa/plugin-sankofa-common';

/** A Kubernetes object as the watch cache holds it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** A kind the backend watches: `group/version` + kind + plural. */
export interface WatchedKind {
  apiVersion: string;
  kind: string;
  plural: string;
  /** Cluster-scoped kinds have no namespace. */
  namespaced: boolean;
}

/** `apiVersion|kind`, the key of a watched kind. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/**
 * A read-only view of one cluster's watch cache. Every call is served from memory: the status
 * service never issues a Kubernetes request per page view.
 */
export interface ClusterView {
  readonly name: string;
  /** The watched kind, or undefined when the backend does not watch it (refs render as not found). */
  watchedKind(apiVersion: string, kind: string): WatchedKind | undefined;
  get(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Events whose involvedObject is the object with this uid. */
  eventsFor(uid: string): KubeObject[];
  freshness(): Freshness;
  /** True once every informer of the cluster finished its first list. */
  synced(): boolean;
}

/** Looks up the cache of a configured cluster by name. */
export interface ClusterViews {
  cluster(name: string): ClusterView | undefined;
  clusters(): ClusterView[];
}
