import { posix } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { KubeObject, ObjectStore } from '../kube';
import { deepEqual } from '../kube/store';
import { CLAIM_API } from './compose';
import { recordEvent } from './events';
import { GitMirror } from './gitMirror';

const APP_API = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };
/** ArgoCD's default resource tracking label. */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

export interface ArgoCdReconcilerOptions {
  cluster: string;
  store: ObjectStore;
  repoUrl: string;
  branch: string;
  /** Default 3000 ms (ArgoCD polls every 3 minutes; a sandbox should feel quicker). */
  pollMs?: number;
}

/**
 * Plays ArgoCD for one cluster: an Application `sankofa-<cluster>` that syncs the kustomization at
 * `clusters/<cluster>` of the GitOps repository into the cluster, with automated sync and prune.
 */
export class ArgoCdReconciler {
  readonly appName: string;
  private readonly path: string;
  private readonly mirror: GitMirror;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastSynced?: string;

  constructor(private readonly options: ArgoCdReconcilerOptions) {
    this.appName = `sankofa-${options.cluster}`;
    this.path = `clusters/${options.cluster}`;
    this.mirror = new GitMirror(options.repoUrl, options.branch);
  }

  async start() {
    this.ensureApplication();
    await this.refresh();
    const loop = () => {
      this.timer = setTimeout(async () => {
        await this.refresh().catch(() => undefined);
        loop();
      }, this.options.pollMs ?? 3000);
      this.timer.unref?.();
    };
    loop();
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Fetches the repository and syncs when the revision moved (ArgoCD's "Refresh"). */
  refresh(): Promise<void> {
    this.running ??= this.syncOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async syncOnce() {
    const startedAt = new Date().toISOString();
    let revision: string;
    try {
      revision = await this.mirror.fetch();
    } catch (error) {
      this.setStatus({
        conditions: [
          {
            type: 'ComparisonError',
            message: `Failed to load target state: ${String(
              (error as Error).message,
            ).trim()}`,
            lastTransitionTime: startedAt,
          },
        ],
      });
      return;
    }
    if (revision !== this.lastSynced) {
      await this.sync(revision, startedAt);
      this.lastSynced = revision;
    }
    this.updateHealth();
  }

  private async sync(revision: string, startedAt: string) {
    const desired = await this.render(revision);
    const applied = desired.map(obj => this.apply(obj));
    const pruned = this.prune(desired);
    const finishedAt = new Date().toISOString();
    const app = this.ensureApplication();
    const history = [
      ...(app.status?.history ?? []),
      {
        revision,
        deployedAt: finishedAt,
        id: app.status?.history?.length ?? 0,
      },
    ].slice(-10);
    this.setStatus({
      sync: { status: 'Synced', revision, comparedTo: this.source() },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt,
        finishedAt,
        operation: {
          sync: { revision, prune: true },
          initiatedBy: { automated: true },
        },
        syncResult: {
          revision,
          source: this.source(),
          resources: [
            ...applied.map(r => ({
              ...r,
              status: 'Synced',
              message: `${r.kind.toLowerCase()}.${r.group} ${
                r.name
              } configured`,
              syncPhase: 'Sync',
            })),
            ...pruned.map(r => ({
              ...r,
              status: 'Pruned',
              message: 'pruned',
              syncPhase: 'Sync',
            })),
          ],
        },
      },
      history,
      resources: applied.map(r => ({ ...r, status: 'Synced' })),
      conditions: [],
    });
    recordEvent(this.options.store, this.ensureApplication(), {
      type: 'Normal',
      reason: 'OperationCompleted',
      message: `Sync operation to ${revision} succeeded`,
      component: 'argocd-application-controller',
    });
  }

  /** Reads `kustomization.yaml` and every resource it lists, at one revision. */
  private async render(revision: string): Promise<KubeObject[]> {
    const kustomization = await this.mirror.read(
      revision,
      `${this.path}/kustomization.yaml`,
    );
    if (kustomization === undefined) return [];
    const resources: string[] = parse(kustomization)?.resources ?? [];
    const objects: KubeObject[] = [];
    for (const file of resources) {
      const path = posix.normalize(posix.join(this.path, file));
      if (!path.startsWith(`${this.path}/`)) continue; // never read outside the app's path
      const text = await this.mirror.read(revision, path);
      if (text === undefined) continue;
      for (const doc of parseAllDocuments(text)) {
        const obj = doc.toJS();
        if (obj?.apiVersion && obj?.kind && obj?.metadata?.name)
          objects.push(obj);
      }
    }
    return objects;
  }

  /** Like `kubectl apply`: creates, or merges the manifest into the live object. */
  private apply(manifest: KubeObject) {
    const store = this.options.store;
    const obj: KubeObject = {
      ...manifest,
      metadata: {
        ...manifest.metadata,
        labels: { ...manifest.metadata.labels, [INSTANCE_LABEL]: this.appName },
      },
    };
    if (obj.metadata.namespace) store.ensureNamespace(obj.metadata.namespace);
    const ref = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name!,
      namespace: obj.metadata.namespace,
    };
    const live = store.tryGet(ref);
    if (!live) {
      store.create(obj);
    } else {
      const merged = {
        ...live,
        metadata: {
          ...live.metadata,
          labels: obj.metadata.labels,
          annotations: {
            ...live.metadata.annotations,
            ...obj.metadata.annotations,
          },
        },
        spec: { ...live.spec, ...obj.spec },
      };
      if (!deepEqual(merged, live)) store.update(merged);
    }
    const [group] = obj.apiVersion.includes('/')
      ? obj.apiVersion.split('/')
      : [''];
    return {
      group,
      version: obj.apiVersion.split('/').pop(),
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name!,
    };
  }

  /** Deletes claims this Application created that are no longer in Git (automated prune). */
  private prune(desired: KubeObject[]) {
    const keep = new Set(
      desired.map(o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
    );
    const pruned = [];
    const live = this.options.store.list(CLAIM_API, {
      labelSelector: `${INSTANCE_LABEL}=${this.appName}`,
    });
    for (const obj of live.items) {
      if (
        keep.has(`${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`)
      )
        continue;
      this.options.store.delete({
        ...CLAIM_API,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name!,
      });
      pruned.push({
        group: 'sankofa.io',
        version: 'v1alpha1',
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name!,
      });
    }
    return pruned;
  }

  /** Application health from its claims: Degraded if one fails, Progressing until all are Ready. */
  private updateHealth() {
    const claims = this.options.store.list(CLAIM_API, {
      labelSelector: `${INSTANCE_LABEL}=${this.appName}`,
    }).items;
    const condition = (c: KubeObject, type: string) =>
      (c.status?.conditions ?? []).find(
        (x: { type: string }) => x.type === type,
      );
    let status = 'Healthy';
    for (const claim of claims) {
      if (condition(claim, 'Synced')?.status === 'False') status = 'Degraded';
      else if (
        status === 'Healthy' &&
        condition(claim, 'Ready')?.status !== 'True'
      )
        status = 'Progressing';
    }
    this.setStatus({
      health: { status },
      reconciledAt: new Date().toISOString(),
    });
  }

  private source() {
    return {
      repoURL: this.options.repoUrl,
      path: this.path,
      targetRevision: this.options.branch,
    };
  }

  private ensureApplication(): KubeObject {
    const store = this.options.store;
    const ref = { ...APP_API, namespace: 'argocd', name: this.appName };
    const existing = store.tryGet(ref);
    if (existing) return existing;
    store.ensureNamespace('argocd');
    return store.create({
      ...APP_API,
      metadata: { name: this.appName, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: this.source(),
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'default',
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
  }

  private setStatus(patch: Record<string, unknown>) {
    const app = this.ensureApplication();
    const status = { ...(app.status ?? {}), ...patch };
    if (deepEqual(app.status ?? {}, status)) return;
    this.options.store.patch(
      { ...APP_API, namespace: 'argocd', name: this.appName },
      { status },
      { subresource: 'status' },
    );
  }
}
