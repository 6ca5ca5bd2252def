/*
 * Realistic Crossplane + provider-proxmox-bpg objects for tests. The EnvironmentVM follows the
 * provider's generated example (../shared/reference/provider-proxmox-bpg/cluster_environmentvm.yaml)
 * as our Composition renders it.
 */
import {
  ENVIRONMENT_VM,
  VM_CLAIM,
  VM_COMPOSITE,
} from '@sankofa/plugin-sankofa-common';
import { Freshness } from '@sankofa/plugin-sankofa-common';
import {
  ClusterView,
  KubeObject,
  WatchedKind,
  kindKey,
} from '../cluster/types';
import { DEFAULT_CLAIM_API } from '../status/api';

export const T0 = '2025-05-01T10:00:00Z';
export const T1 = '2025-05-01T10:00:05Z';
export const T2 = '2025-05-01T10:01:30Z';
export const T3 = '2025-05-01T10:02:10Z';

type Cond = {
  type: string;
  status: string;
  reason: string;
  message?: string;
  lastTransitionTime?: string;
};

export const synced = (at = T1): Cond => ({
  type: 'Synced',
  status: 'True',
  reason: 'ReconcileSuccess',
  lastTransitionTime: at,
});
export const syncError = (message: string, at = T2): Cond => ({
  type: 'Synced',
  status: 'False',
  reason: 'ReconcileError',
  message,
  lastTransitionTime: at,
});
export const ready = (at = T3): Cond => ({
  type: 'Ready',
  status: 'True',
  reason: 'Available',
  lastTransitionTime: at,
});
export const creating = (at = T1): Cond => ({
  type: 'Ready',
  status: 'False',
  reason: 'Creating',
  lastTransitionTime: at,
});
export const unavailable = (message: string, at = T2): Cond => ({
  type: 'Ready',
  status: 'False',
  reason: 'Unavailable',
  message,
  lastTransitionTime: at,
});

export interface ChainOptions {
  name?: string;
  namespace?: string;
  site?: string;
  claimConditions?: Cond[];
  xrConditions?: Cond[];
  vmConditions?: Cond[];
  atProvider?: Record<string, unknown>;
  /** Crossplane v2: namespaced XR + namespaced EnvironmentVM, no claim. */
  v2?: boolean;
}

let uidCounter = 0;
const uid = () =>
  `00000000-0000-4000-8000-${String(++uidCounter).padStart(12, '0')}`;

export function vmChain(o: ChainOptions = {}): {
  claim?: KubeObject;
  xr: KubeObject;
  vm: KubeObject;
} {
  const name = o.name ?? 'web-1';
  const namespace = o.namespace ?? 'team-alpha';
  const site = o.site ?? 'accra';
  const xrName = o.v2 ? name : `${name}-x7k2p`;
  const vmApi = o.v2 ? ENVIRONMENT_VM.namespaced : ENVIRONMENT_VM.cluster;
  const vm: KubeObject = {
    apiVersion: vmApi.apiVersion,
    kind: 'EnvironmentVM',
    metadata: {
      name: `${xrName}-vm`,
      ...(o.v2 ? { namespace } : {}),
      uid: uid(),
      creationTimestamp: T1,
      labels: {
        'crossplane.io/composite': xrName,
        ...(o.v2
          ? {}
          : {
              'crossplane.io/claim-name': name,
              'crossplane.io/claim-namespace': namespace,
            }),
      },
      managedFields: [{ manager: 'crossplane', operation: 'Apply' }],
    },
    spec: {
      forProvider: {
        agent: [{ enabled: true }],
        cpu: [{ cores: 2, type: 'x86-64-v2-AES' }],
        disk: [{ datastoreId: 'local-lvm', interface: 'scsi0', size: 20 }],
        initialization: [
          {
            ipConfig: [{ ipv4: [{ address: 'dhcp' }] }],
            userAccount: [
              {
                keys: [
                  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK kofi@example.org',
                ],
                passwordSecretRef: {
                  key: 'password',
                  name: `${name}-pw`,
                  namespace,
                },
                username: 'debian',
              },
            ],
          },
        ],
        memory: [{ dedicated: 2048 }],
        name,
        networkDevice: [{ bridge: 'vmbr0', vlanId: 20 }],
        nodeName: `pve-${site}-1`,
        operatingSystem: [{ type: 'l26' }],
        started: true,
        tags: ['sankofa', 'team-alpha'],
      },
      providerConfigRef: { name: site },
    },
    status: {
      atProvider: o.atProvider ?? {},
      conditions: o.vmConditions ?? [synced(), creating()],
    },
  };
  const xrApi = o.v2 ? VM_CLAIM : VM_COMPOSITE;
  const refs = [
    {
      apiVersion: vmApi.apiVersion,
      kind: 'EnvironmentVM',
      name: `${xrName}-vm`,
    },
  ];
  const xr: KubeObject = {
    apiVersion: xrApi.apiVersion,
    kind: o.v2 ? VM_CLAIM.kind : VM_COMPOSITE.kind,
    metadata: {
      name: xrName,
      ...(o.v2 ? { namespace } : {}),
      uid: uid(),
      creationTimestamp: T1,
      labels: o.v2
        ? { 'sankofa.io/owner': namespace, 'sankofa.io/site': site }
        : {
            'crossplane.io/claim-name': name,
            'crossplane.io/claim-namespace': namespace,
          },
    },
    spec: {
      site,
      image: 'debian-12',
      cpu: 2,
      memoryMiB: 2048,
      diskGiB: 20,
      network: { bridge: 'vmbr0', vlan: 20 },
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK kofi@example.org'],
      powerState: 'Running',
      ...(o.v2
        ? {
            crossplane: {
              compositionRef: { name: 'sankofa-vm' },
              resourceRefs: refs,
            },
          }
        : {
            compositionRef: { name: 'sankofa-vm' },
            claimRef: {
              apiVersion: VM_CLAIM.apiVersion,
              kind: VM_CLAIM.kind,
              name,
              namespace,
            },
            resourceRefs: refs,
          }),
    },
    status: { conditions: o.xrConditions ?? [synced(), creating()] },
  };
  if (o.v2) {
    return { xr, vm };
  }
  const claim: KubeObject = {
    apiVersion: VM_CLAIM.apiVersion,
    kind: VM_CLAIM.kind,
    metadata: {
      name,
      namespace,
      uid: uid(),
      creationTimestamp: T0,
      labels: { 'sankofa.io/owner': namespace, 'sankofa.io/site': site },
    },
    spec: {
      ...(xr.spec as object),
      compositionRef: { name: 'sankofa-vm' },
      resourceRef: {
        apiVersion: VM_COMPOSITE.apiVersion,
        kind: VM_COMPOSITE.kind,
        name: xrName,
      },
      claimRef: undefined,
      resourceRefs: undefined,
    },
    status: { conditions: o.claimConditions ?? [synced(), creating()] },
  };
  delete claim.spec.claimRef;
  delete claim.spec.resourceRefs;
  return { claim, xr, vm };
}

export function application(
  cluster: string,
  op?: { phase: string; message?: string; finishedAt?: string },
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `sankofa-${cluster}`, namespace: 'argocd', uid: uid() },
    spec: { source: { path: `clusters/${cluster}` } },
    status: {
      sync: { status: 'Synced', revision: '3f1c2ab9d0e4' },
      health: { status: 'Progressing' },
      resources: [
        {
          kind: 'VirtualMachine',
          namespace: 'team-alpha',
          name: 'web-1',
          status: 'Synced',
        },
      ],
      ...(op
        ? {
            operationState: {
              phase: op.phase,
              message: op.message,
              startedAt: T0,
              finishedAt: op.finishedAt ?? T0,
              syncResult: { revision: '3f1c2ab9d0e4' },
            },
          }
        : {}),
    },
  };
}

export function eventFor(
  obj: KubeObject,
  reason: string,
  message: string,
  type = 'Warning',
  at = T2,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${obj.metadata?.name}.${reason.toLowerCase()}`,
      namespace: obj.metadata?.namespace ?? 'default',
      creationTimestamp: at,
    },
    involvedObject: {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata?.name,
      namespace: obj.metadata?.namespace,
      uid: obj.metadata?.uid,
    },
    reason,
    message,
    type,
    count: 3,
    firstTimestamp: T1,
    lastTimestamp: at,
  };
}

const KINDS: WatchedKind[] = [
  { ...VM_CLAIM, namespaced: true },
  { ...VM_COMPOSITE, namespaced: false },
  ...DEFAULT_CLAIM_API.managed,
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    plural: 'applications',
    namespaced: true,
  },
];

/** An in-memory ClusterView for unit tests of the pure status logic. */
export class MemoryView implements ClusterView {
  private readonly objects = new Map<string, KubeObject[]>();
  private readonly events: KubeObject[] = [];
  fresh: Freshness;
  isSynced = true;

  constructor(
    readonly name = 'sankofa-east',
    objects: Array<KubeObject | undefined> = [],
  ) {
    this.fresh = { cluster: name, stale: false, asOf: T3 };
    objects.forEach(o => o && this.add(o));
  }

  add(o: KubeObject) {
    if (o.kind === 'Event') {
      this.events.push(o);
      return;
    }
    const key = kindKey(o.apiVersion!, o.kind!);
    this.objects.set(key, [...(this.objects.get(key) ?? []), o]);
  }

  watchedKind(apiVersion: string, kind: string) {
    return KINDS.find(k => k.apiVersion === apiVersion && k.kind === kind);
  }
  get(apiVersion: string, kind: string, name: string, namespace?: string) {
    return this.list(apiVersion, kind).find(
      o =>
        o.metadata?.name === name &&
        (o.metadata?.namespace ?? undefined) === (namespace ?? undefined),
    );
  }
  list(apiVersion: string, kind: string, namespace?: string) {
    return (this.objects.get(kindKey(apiVersion, kind)) ?? []).filter(
      o => !namespace || o.metadata?.namespace === namespace,
    );
  }
  eventsFor(id: string) {
    return this.events.filter(e => (e as any).involvedObject?.uid === id);
  }
  freshness() {
    return this.fresh;
  }
  synced() {
    return this.isSynced;
  }
}
