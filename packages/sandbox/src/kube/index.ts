/**
 * A Kubernetes API server stand-in for the Sankofa sandbox: the wire protocol
 * over plain HTTP with a bearer token, backed by an in-memory ObjectStore that
 * the reconciler also uses in-process.
 */
import { loadSandboxCrds, SandboxCrdPaths } from './crds';
import { CustomResourceDefinition } from './resources';
import { KubeApiServer, startKubeApiHttpServer } from './server';
import { ObjectStore } from './store';

export interface StartKubeApiServerOptions extends SandboxCrdPaths {
  /** Cluster name, used for the default token `sandbox-token-<cluster>`. Default `sandbox`. */
  clusterName?: string;
  /** Bearer token; default `sandbox-token-<clusterName>`. */
  token?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral); the sandbox CLI uses 16443 / 16444. */
  port?: number;
  /** Serve an existing store instead of making one. */
  store?: ObjectStore;
  /** CRDs for a new store; default loadSandboxCrds(). */
  crds?: CustomResourceDefinition[];
  /** Changes kept for watch resume (older resourceVersions answer 410). Default 10000. */
  historySize?: number;
  /** Extra namespaces to create. Default team-alpha, team-beta, platform, argocd, crossplane-system. */
  namespaces?: string[];
  /** Serve HTTPS (needed by kubectl, which sends tokens only over TLS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Interval of BOOKMARK events for watches that allow them. Default 10000 ms. */
  bookmarkIntervalMs?: number;
}

export const DEFAULT_SANDBOX_NAMESPACES = [
  'team-alpha',
  'team-beta',
  'platform',
  'argocd',
  'crossplane-system',
];

/** Starts one sandbox cluster's API server; call it twice for two clusters. */
export async function startKubeApiServer(
  options: StartKubeApiServerOptions = {},
): Promise<KubeApiServer> {
  const clusterName = options.clusterName ?? 'sandbox';
  const store =
    options.store ??
    new ObjectStore({
      crds: options.crds ?? loadSandboxCrds(options),
      historySize: options.historySize,
      namespaces: options.namespaces ?? DEFAULT_SANDBOX_NAMESPACES,
    });
  return startKubeApiHttpServer({
    store,
    token: options.token ?? `sandbox-token-${clusterName}`,
    host: options.host,
    port: options.port,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    tls: options.tls,
  });
}

export { loadSandboxCrds } from './crds';
export type { SandboxCrdPaths } from './crds';
export { KubeApiError } from './errors';
export type { KubeStatus, StatusCause } from './errors';
export { KubeFaults } from './faults';
export {
  crdResourceType,
  findRepoRoot,
  loadProviderCrds,
  providerCrdsDir,
  readCrdFile,
  resourceTypesFromCrd,
} from './resources';
export type { CustomResourceDefinition, ResourceType } from './resources';
export { parseLabelSelector, matchesLabels } from './selectors';
export type { KubeApiServer, KubeApiServerOptions } from './server';
export { startKubeApiHttpServer } from './server';
export { ObjectStore } from './store';
export type {
  CreateOptions,
  KubeList,
  KubeObject,
  ListOptions,
  ObjectMeta,
  ObjectRef,
  ObjectStoreOptions,
  PatchType,
  StoreWatch,
  TypeRef,
  UpdateOptions,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from './store';
export { crdsFromXrd, readXrdFile } from './xrd';
export type { CompositeResourceDefinition } from './xrd';
export { validateCustomResource } from './validation';
export type { JsonSchema } from './validation';
export { sampleClaim, sampleComposite, sampleEnvironmentVm } from './fixtures';
