import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Freshness } from '@sankofa/plugin-sankofa-common';
import { ClusterConfig } from './config';
import {
  ClusterView,
  ClusterViews,
  KubeObject,
  WatchedKind,
  kindKey,
} from './types';

/** A kind to watch, optionally restricted to one namespace (ArgoCD Applications live in argocd). */
export interface WatchSpec extends WatchedKind {
  onlyNamespace?: string;
}

export const EVENT_KIND: WatchSpec = {
  apiVersion: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
};

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000 };

interface InformerState {
  spec: WatchSpec;
  informer: ListWatch<KubernetesObject>;
  /** Set once the first list completed. */
  listed: boolean;
  /** When the watch broke; cleared when a watch is established again. */
  brokenSince?: Date;
  /** 404 on list: the CRD is not installed in this cluster. Not an outage. */
  absent: boolean;
  lastError?: string;
  attempt: number;
  timer?: NodeJS.Timeout;
}

function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function watchPath(spec: WatchSpec): string {
  const { group, version } = splitApiVersion(spec.apiVersion);
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return spec.onlyNamespace
    ? `${base}/namespaces/${spec.onlyNamespace}/${spec.plural}`
    : `${base}/${spec.plural}`;
}

function statusCodeOf(err: any): number | undefined {
  return err?.statusCode ?? err?.code ?? err?.response?.statusCode;
}

function describe(err: any): string {
  const code = statusCodeOf(err);
  const msg = err?.message ?? String(err);
  return typeof code === 'number' ? `${code} ${msg}` : msg;
}

/**
 * The watch cache of one cluster: one informer per kind (list once, then watch). Page views read
 * from memory. A broken watch is restarted with exponential backoff; the informer re-lists on
 * 410 Gone by itself. While any watch is broken, the cluster's data is marked stale with its age.
 */
export class ClusterWatchCache implements ClusterView {
  readonly name: string;
  private readonly kc: KubeConfig;
  private readonly states = new Map<string, InformerState>();
  /** Events indexed by involvedObject.uid, so a page view does not scan every event. */
  private readonly eventsByUid = new Map<string, Map<string, KubeObject>>();
  private readonly logger: LoggerService;
  private readonly backoff: BackoffOptions;
  private readonly now: () => Date;
  private stopped = false;

  constructor(options: {
    cluster: ClusterConfig;
    kinds: WatchSpec[];
    logger: LoggerService;
    backoff?: BackoffOptions;
    now?: () => Date;
  }) {
    const { cluster } = options;
    this.name = cluster.name;
    this.logger = options.logger.child({ cluster: cluster.name });
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? (() => new Date());
    this.kc = new KubeConfig();
    this.kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'sankofa', token: cluster.serviceAccountToken }],
      contexts: [{ name: 'sankofa', cluster: cluster.name, user: 'sankofa' }],
      currentContext: 'sankofa',
    });
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    const core = this.kc.makeApiClient(CoreV1Api);
    const watch = new Watch(this.kc);
    for (const spec of [...options.kinds, EVENT_KIND]) {
      this.addInformer(spec, custom, core, watch);
    }
  }

  private addInformer(
    spec: WatchSpec,
    custom: CustomObjectsApi,
    core: CoreV1Api,
    watch: Watch,
  ) {
    const key = kindKey(spec.apiVersion, spec.kind);
    const { group, version } = splitApiVersion(spec.apiVersion);
    // The informer is attached below; listFn and the watch only run after start().
    const state = {
      spec,
      listed: false,
      absent: false,
      attempt: 0,
    } as InformerState;
    const listFn = async (): Promise<
      KubernetesListObject<KubernetesObject>
    > => {
      let list: KubernetesListObject<KubernetesObject>;
      if (!group) {
        list = (await core.listEventForAllNamespaces()) as any;
      } else if (spec.onlyNamespace) {
        list = await custom.listNamespacedCustomObject({
          group,
          version,
          namespace: spec.onlyNamespace,
          plural: spec.plural,
        });
      } else {
        list = await custom.listClusterCustomObject({
          group,
          version,
          plural: spec.plural,
        });
      }
      // Typed lists drop apiVersion/kind from items; the tree needs them.
      for (const item of list.items ?? []) {
        item.apiVersion ??= spec.apiVersion;
        item.kind ??= spec.kind;
      }
      state.listed = true;
      state.absent = false;
      return list;
    };
    // Wrap the watch so we learn when a watch connection is established again (the informer
    // itself only reports errors).
    const trackingWatch = {
      watch: async (
        path: string,
        params: any,
        callback: any,
        done: (err: any) => void,
      ) => {
        let ended = false;
        const controller = await watch.watch(path, params, callback, err => {
          ended = true;
          done(err);
        });
        if (!ended) {
          this.markHealthy(state);
        }
        return controller;
      },
    } as unknown as Watch;
    const informer = new ListWatch<KubernetesObject>(
      watchPath(spec),
      trackingWatch,
      listFn,
      false,
    );
    state.informer = informer;
    informer.on('error', err => this.onError(state, err));
    if (spec.kind === EVENT_KIND.kind && !group) {
      informer.on('add', obj => this.indexEvent(obj as KubeObject));
      informer.on('update', obj => this.indexEvent(obj as KubeObject));
      informer.on('delete', obj => this.unindexEvent(obj as KubeObject));
    }
    this.states.set(key, state);
  }

  private indexEvent(e: KubeObject) {
    const uid = (e as any).involvedObject?.uid;
    if (!uid) {
      return;
    }
    let m = this.eventsByUid.get(uid);
    if (!m) {
      m = new Map();
      this.eventsByUid.set(uid, m);
    }
    m.set(`${e.metadata?.namespace}/${e.metadata?.name}`, e);
  }

  private unindexEvent(e: KubeObject) {
    const uid = (e as any).involvedObject?.uid;
    const m = uid ? this.eventsByUid.get(uid) : undefined;
    m?.delete(`${e.metadata?.namespace}/${e.metadata?.name}`);
    if (m && m.size === 0) {
      this.eventsByUid.delete(uid);
    }
  }

  private markHealthy(state: InformerState) {
    if (state.brokenSince) {
      this.logger.info(`watch of ${state.spec.kind} recovered`);
    }
    state.brokenSince = undefined;
    state.lastError = undefined;
    state.attempt = 0;
  }

  private onError(state: InformerState, err: unknown) {
    if (this.stopped) {
      return;
    }
    const code = statusCodeOf(err);
    state.lastError = describe(err);
    if (code === 404 && !state.listed) {
      // The CRD is not installed here (e.g. v2 managed resources in a v1 cluster): retry slowly.
      state.absent = true;
    } else if (!state.brokenSince) {
      state.brokenSince = this.now();
      this.logger.warn(`watch of ${state.spec.kind} broke: ${state.lastError}`);
    }
    const delay = state.absent
      ? this.backoff.maxMs
      : Math.min(
          this.backoff.maxMs,
          this.backoff.initialMs * 2 ** state.attempt,
        );
    state.attempt++;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (!this.stopped) {
        state.informer.start().catch(e => this.onError(state, e));
      }
    }, delay * (0.8 + Math.random() * 0.4));
    state.timer.unref?.();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all(
      [...this.states.values()].map(s =>
        s.informer.start().catch(e => this.onError(s, e)),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.states.values()) {
      clearTimeout(s.timer);
      await s.informer.stop();
    }
  }

  watchedKind(apiVersion: string, kind: string): WatchedKind | undefined {
    return this.states.get(kindKey(apiVersion, kind))?.spec;
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string) {
    return this.states
      .get(kindKey(apiVersion, kind))
      ?.informer.get(name, namespace) as KubeObject | undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return (this.states
      .get(kindKey(apiVersion, kind))
      ?.informer.list(namespace) ?? []) as KubeObject[];
  }

  eventsFor(uid: string): KubeObject[] {
    return [...(this.eventsByUid.get(uid)?.values() ?? [])];
  }

  synced(): boolean {
    return [...this.states.values()].every(s => s.listed || s.absent);
  }

  freshness(): Freshness {
    const broken = [...this.states.values()].filter(
      s => s.brokenSince || (!s.listed && !s.absent && s.lastError),
    );
    if (broken.length === 0 && this.synced()) {
      return {
        cluster: this.name,
        stale: false,
        asOf: this.now().toISOString(),
      };
    }
    const since = broken
      .map(s => s.brokenSince)
      .filter((d): d is Date => !!d)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      cluster: this.name,
      stale: true,
      ...(since
        ? {
            asOf: since.toISOString(),
            ageSeconds: Math.round(
              (this.now().getTime() - since.getTime()) / 1000,
            ),
          }
        : {}),
      error: broken[0]?.lastError ?? 'initial list not complete',
    };
  }
}

/** All configured clusters' caches. */
export class ClusterWatchCaches implements ClusterViews {
  constructor(private readonly caches: ClusterWatchCache[]) {}

  cluster(name: string): ClusterWatchCache | undefined {
    return this.caches.find(c => c.name === name);
  }

  clusters(): ClusterWatchCache[] {
    return this.caches;
  }

  async start() {
    await Promise.all(this.caches.map(c => c.start()));
  }

  async stop() {
    await Promise.all(this.caches.map(c => c.stop()));
  }
}
