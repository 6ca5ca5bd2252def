import { KubeObject, ObjectStore, StoreWatch } from '../kube';
import { deepEqual } from '../kube/store';
import {
  CLAIM_API,
  COMPOSITE_API,
  COMPOSITION_NAME,
  composeComposite,
  composeEnvironmentVm,
  compositeName,
  Condition,
  MR_API,
  setConditions,
} from './compose';
import { recordEvent } from './events';
import { judge, observedFacts, placeOnNode } from './provider';
import { SiteConditions } from './sites';

export interface CrossplaneReconcilerOptions {
  cluster: string;
  store: ObjectStore;
  conditions: SiteConditions;
  /** How long Proxmox takes to create a VM. Default 8000 ms. */
  provisionMs?: number;
}

/**
 * Plays Crossplane (claim → composite → composed EnvironmentVM) and provider-proxmox-bpg (the
 * EnvironmentVM's conditions and atProvider) for one cluster. Claims are watched in the store, so
 * whatever writes them (the ArgoCD stand-in, kubectl, a test) drives it.
 */
export class CrossplaneReconciler {
  private readonly store: ObjectStore;
  private readonly provisionMs: number;
  private watch?: StoreWatch;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly createdAt = new Map<string, number>();
  private nextVmId = 100;

  constructor(private readonly options: CrossplaneReconcilerOptions) {
    this.store = options.store;
    this.provisionMs = options.provisionMs ?? 8000;
  }

  start() {
    this.watch = this.store.watch(CLAIM_API, {}, event => {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') {
        this.reconcile(event.object);
      } else if (event.type === 'DELETED') {
        this.remove(event.object);
      }
    });
  }

  stop() {
    this.watch?.stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Re-evaluates every claim, e.g. after a node went offline or came back. */
  reconcileAll() {
    for (const claim of this.store.list(CLAIM_API).items) this.reconcile(claim);
  }

  private reconcile(claim: KubeObject) {
    try {
      this.reconcileClaim(claim);
    } catch (error) {
      // A claim changed or vanished under us; the next watch event brings the fresh copy.
      if (
        (error as { code?: number }).code !== 409 &&
        (error as { code?: number }).code !== 404
      ) {
        throw error;
      }
    }
  }

  private reconcileClaim(observed: KubeObject) {
    let claim = observed;
    const name = compositeName(claim);
    const composite = this.ensureComposite(claim, name);
    if (claim.spec.resourceRef?.name !== name) {
      claim = this.store.patch(
        {
          ...CLAIM_API,
          namespace: claim.metadata.namespace,
          name: claim.metadata.name!,
        },
        {
          spec: {
            resourceRef: { ...COMPOSITE_API, name },
            compositionRef: { name: COMPOSITION_NAME },
          },
        },
      );
    }
    const mr = this.ensureManagedResource(composite, claim);
    const ready = this.runProvider(mr);
    this.mirrorStatus(composite, claim, ready);
  }

  private ensureComposite(claim: KubeObject, name: string): KubeObject {
    const desired = composeComposite(claim, name);
    const existing = this.store.tryGet({ ...COMPOSITE_API, name });
    if (!existing) {
      const created = this.store.create(desired);
      recordEvent(this.store, created, {
        type: 'Normal',
        reason: 'SelectComposition',
        message: `Successfully selected composition: ${COMPOSITION_NAME}`,
        component: 'apiextensions.crossplane.io/composite',
      });
      recordEvent(this.store, claim, {
        type: 'Normal',
        reason: 'ConfigureCompositeResource',
        message: 'Successfully applied composite resource',
        component: 'apiextensions.crossplane.io/claim',
      });
      return created;
    }
    if (deepEqual(existing.spec, desired.spec)) return existing;
    return this.store.update({ ...existing, spec: desired.spec });
  }

  private ensureManagedResource(
    composite: KubeObject,
    claim: KubeObject,
  ): KubeObject {
    const name = composite.metadata.name!;
    const existing = this.store.tryGet({ ...MR_API, name });
    const site = this.options.conditions.site(composite.spec.site);
    const node =
      composite.spec.node ??
      existing?.spec.forProvider.nodeName ??
      (site ? placeOnNode(site, name) : `${composite.spec.site}-unknown`);
    const desired = composeEnvironmentVm(composite, claim, node);
    if (!existing) {
      const created = this.store.create(desired);
      this.createdAt.set(name, Date.now());
      recordEvent(this.store, composite, {
        type: 'Normal',
        reason: 'ComposeResources',
        message: 'Successfully composed resources',
        component: 'apiextensions.crossplane.io/composite',
      });
      return created;
    }
    if (deepEqual(existing.spec, desired.spec)) return existing;
    return this.store.update({ ...existing, spec: desired.spec });
  }

  /** Sets the EnvironmentVM's conditions and atProvider; returns whether it is Ready. */
  private runProvider(mr: KubeObject): boolean {
    const name = mr.metadata.name!;
    const site = this.options.conditions.site(mr.spec.providerConfigRef?.name);
    const verdict = judge(site, mr, this.options.conditions);
    const status = { ...(mr.status ?? {}) };
    const vmId: number | undefined = status.atProvider?.vmId;

    if (!verdict.ok && vmId === undefined) {
      this.writeMrStatus(mr, status, [
        {
          type: 'Synced',
          status: 'False',
          reason: 'ReconcileError',
          message: verdict.message,
        },
        { type: 'Ready', status: 'False', reason: 'Creating' },
      ]);
      return false;
    }
    const started =
      this.createdAt.get(name) ?? Date.parse(mr.metadata.creationTimestamp!);
    const remaining = started + this.provisionMs - Date.now();
    if (vmId === undefined && remaining > 0) {
      this.writeMrStatus(mr, status, [
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
        { type: 'Ready', status: 'False', reason: 'Creating' },
      ]);
      this.wakeUpIn(mr, remaining);
      return false;
    }
    const id = vmId ?? this.nextVmId++;
    const facts = observedFacts(site!, mr, id);
    const becameReady = vmId === undefined;
    this.writeMrStatus(
      mr,
      { ...status, atProvider: facts },
      [
        verdict.ok
          ? { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' }
          : {
              type: 'Synced',
              status: 'False',
              reason: 'ReconcileError',
              message: verdict.message,
            },
        { type: 'Ready', status: 'True', reason: 'Available' },
      ],
      { 'crossplane.io/external-name': String(id) },
    );
    if (becameReady) {
      recordEvent(this.store, mr, {
        type: 'Normal',
        reason: 'CreatedExternalResource',
        message: `Successfully requested creation of external resource (vmId ${id} on ${facts.nodeName})`,
        component:
          'managed/virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1, kind=environmentvm',
      });
    }
    return true;
  }

  private writeMrStatus(
    mr: KubeObject,
    status: Record<string, any>,
    conditions: Omit<Condition, 'lastTransitionTime'>[],
    annotations?: Record<string, string>,
  ) {
    const next = {
      ...status,
      conditions: setConditions(status.conditions, conditions),
    };
    const ref = { ...MR_API, name: mr.metadata.name! };
    if (
      annotations &&
      !deepEqual(pick(mr.metadata.annotations, annotations), annotations)
    ) {
      this.store.patch(ref, { metadata: { annotations } });
    }
    if (deepEqual(mr.status ?? {}, next)) return;
    const failing = conditions.find(
      c => c.status === 'False' && c.reason === 'ReconcileError',
    );
    const wasFailing = (mr.status?.conditions ?? []).some(
      (c: Condition) =>
        c.reason === 'ReconcileError' && c.message === failing?.message,
    );
    this.store.patch(ref, { status: next }, { subresource: 'status' });
    if (failing && !wasFailing) {
      recordEvent(this.store, mr, {
        type: 'Warning',
        reason: 'CannotCreateExternalResource',
        message: failing.message!,
        component:
          'managed/virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1, kind=environmentvm',
      });
    }
  }

  /** Copies readiness and the VM's facts up to the composite and the claim, as Crossplane does. */
  private mirrorStatus(
    composite: KubeObject,
    claim: KubeObject,
    ready: boolean,
  ) {
    const mr = this.store.get({ ...MR_API, name: composite.metadata.name! });
    const atProvider = mr.status?.atProvider ?? {};
    const site = this.options.conditions.site(composite.spec.site);
    const facts = {
      ...(atProvider.vmId !== undefined ? { vmId: atProvider.vmId } : {}),
      node: mr.spec.forProvider.nodeName,
      started: Boolean(atProvider.started),
      ipv4: (atProvider.ipv4Addresses ?? [])
        .flat()
        .filter((ip: string) => ip !== '127.0.0.1'),
      ...(site && atProvider.vmId !== undefined
        ? {
            consoleUrl: `${site.consoleUrl}/#v1:0:=qemu%2F${atProvider.vmId}:4:::::::`,
          }
        : {}),
    };
    const readyCondition = ready
      ? { type: 'Ready' as const, status: 'True' as const, reason: 'Available' }
      : {
          type: 'Ready' as const,
          status: 'False' as const,
          reason: 'Creating',
          message: 'Unready resources: environment-vm',
        };
    const conditions = [
      {
        type: 'Synced' as const,
        status: 'True' as const,
        reason: 'ReconcileSuccess',
      },
      readyCondition,
    ];
    for (const [obj, api] of [
      [composite, COMPOSITE_API],
      [claim, CLAIM_API],
    ] as const) {
      const current = this.store.get({
        ...api,
        name: obj.metadata.name!,
        namespace: obj.metadata.namespace,
      });
      const status = {
        ...(current.status ?? {}),
        ...facts,
        observedGeneration: current.metadata.generation,
        conditions: setConditions(current.status?.conditions, conditions),
      };
      if (!deepEqual(current.status ?? {}, status)) {
        this.store.patch(
          {
            ...api,
            name: obj.metadata.name!,
            namespace: obj.metadata.namespace,
          },
          { status },
          { subresource: 'status' },
        );
      }
    }
  }

  private wakeUpIn(mr: KubeObject, ms: number) {
    const key = mr.metadata.name!;
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const claimRef = {
        ...CLAIM_API,
        namespace: mr.metadata.labels?.['crossplane.io/claim-namespace'],
        name: mr.metadata.labels?.['crossplane.io/claim-name'] ?? '',
      };
      const claim = this.store.tryGet(claimRef);
      if (claim) this.reconcile(claim);
    }, ms + 50);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** A deleted claim takes its composite and managed resource with it. */
  private remove(claim: KubeObject) {
    const name = compositeName(claim);
    for (const ref of [
      { ...MR_API, name },
      { ...COMPOSITE_API, name },
    ]) {
      if (this.store.tryGet(ref)) this.store.delete(ref);
    }
    this.createdAt.delete(name);
  }
}

function pick(
  source: Record<string, string> | undefined,
  keys: Record<string, string>,
) {
  const out: Record<string, string> = {};
  for (const k of Object.keys(keys))
    if (source?.[k] !== undefined) out[k] = source[k];
  return out;
}
