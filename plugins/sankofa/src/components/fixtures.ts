import { VmStatusDocument } from '@sankofa/plugin-sankofa-common';
import { Entity } from '@backstage/catalog-model';

export const vmEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'web-1',
    namespace: 'team-alpha',
    annotations: { 'sankofa.io/vm-claim': 'sankofa-east/team-alpha/web-1' },
  },
  spec: { type: 'virtual-machine', owner: 'group:default/team-alpha' },
};

const IMAGE_MISSING =
  "create failed: async create failed: failed to create resource: error waiting for VM disk import: received an HTTP 500 response - Reason: volume 'local:import/ubuntu-24.04.qcow2' does not exist";

const STATES = {
  pending: 'Pending',
  creating: 'Creating',
  failed: 'Failed',
  ready: 'Ready',
  stale: 'Ready',
} as const;

const READY_STEP = {
  pending: 'pending',
  creating: 'pending',
  failed: 'failed',
  ready: 'done',
  stale: 'done',
} as const;

/** A status document as the backend returns it, in one of the states the page designs for. */
export function statusDoc(
  kind: 'creating' | 'ready' | 'failed' | 'stale' | 'pending',
): VmStatusDocument {
  const ready = kind === 'ready' || kind === 'stale';
  const failed = kind === 'failed';
  const vm = {
    role: 'managed' as const,
    ref: {
      apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
      kind: 'EnvironmentVM',
      name: 'web-1-x7k2p',
    },
    found: true,
    synced: failed ? ('False' as const) : ('True' as const),
    ready: ready ? ('True' as const) : ('False' as const),
    conditions: [
      failed
        ? {
            type: 'Synced',
            status: 'False' as const,
            reason: 'ReconcileError',
            message: IMAGE_MISSING,
            lastTransitionTime: '2025-05-01T10:01:30Z',
          }
        : {
            type: 'Synced',
            status: 'True' as const,
            reason: 'ReconcileSuccess',
          },
      ready
        ? {
            type: 'Ready',
            status: 'True' as const,
            reason: 'Available',
            lastTransitionTime: '2025-05-01T10:02:10Z',
          }
        : { type: 'Ready', status: 'False' as const, reason: 'Creating' },
    ],
    manifest: {
      apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
      kind: 'EnvironmentVM',
      metadata: { name: 'web-1-x7k2p' },
      spec: {
        forProvider: { nodeName: 'pve-accra-1', memory: [{ dedicated: 2048 }] },
      },
    },
    children: [],
  };
  const tree = {
    role: 'claim' as const,
    ref: {
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'VirtualMachine',
      namespace: 'team-alpha',
      name: 'web-1',
    },
    found: true,
    synced: 'True' as const,
    ready: vm.ready,
    conditions: [
      {
        type: 'Ready',
        status: vm.ready,
        reason: ready ? 'Available' : 'Creating',
      },
    ],
    manifest: {
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'VirtualMachine',
      metadata: { name: 'web-1', namespace: 'team-alpha' },
      spec: { site: 'accra', image: 'debian-12' },
    },
    children: [
      {
        role: 'composite' as const,
        ref: {
          apiVersion: 'sankofa.io/v1alpha1',
          kind: 'XVirtualMachine',
          name: 'web-1-x7k2p',
        },
        found: true,
        synced: 'True' as const,
        ready: vm.ready,
        conditions: [],
        manifest: {
          kind: 'XVirtualMachine',
          metadata: { name: 'web-1-x7k2p' },
        },
        children: [vm],
      },
    ],
  };
  return {
    entityRef: 'resource:team-alpha/web-1',
    claim: {
      cluster: 'sankofa-east',
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'VirtualMachine',
      namespace: 'team-alpha',
      name: 'web-1',
    },
    rollup: {
      state: STATES[kind],
      synced: kind === 'pending' ? 'Unknown' : 'True',
      ready: kind === 'pending' ? 'Unknown' : vm.ready,
      ...(failed
        ? {
            rootCause: {
              resource: { ...vm.ref, role: 'managed' as const },
              conditionType: 'Synced',
              reason: 'ReconcileError',
              message: IMAGE_MISSING,
              since: '2025-05-01T10:01:30Z',
            },
          }
        : {}),
    },
    ...(kind === 'pending' ? {} : { tree }),
    desiredVsObserved: ready
      ? [
          {
            resource: vm.ref,
            path: 'memory[0].dedicated',
            desired: 2048,
            observed: '1024',
          },
        ]
      : [],
    ...(kind === 'pending'
      ? {}
      : {
          proxmox: {
            site: 'accra',
            node: 'pve-accra-1',
            ...(ready
              ? {
                  vmId: 4321,
                  started: true,
                  ipv4: [{ interface: 'eth0', addresses: ['10.10.20.7'] }],
                  consoleUrl:
                    'https://pve-accra.example.org:8006/?console=kvm&novnc=1&vmid=4321&node=pve-accra-1',
                }
              : { ipv4: [] }),
          },
        }),
    argocd: {
      application: { name: 'sankofa-sankofa-east', namespace: 'argocd' },
      sync: 'Synced',
      health: 'Healthy',
      revision: '3f1c2ab9d0e4aa',
      lastOperation: { phase: 'Succeeded' },
    },
    events: failed
      ? [
          {
            type: 'Warning',
            reason: 'CannotCreateExternalResource',
            message: IMAGE_MISSING,
            count: 3,
            lastTimestamp: '2025-05-01T10:01:30Z',
            involvedObject: vm.ref,
          },
        ]
      : [],
    timeline: [
      {
        id: 'prOpened',
        label: 'Pull request opened',
        status: 'done',
        source: 'annotation',
        detail: 'http://localhost:3030/platform/sankofa-gitops/pulls/7',
      },
      {
        id: 'prMerged',
        label: 'Pull request merged',
        status: kind === 'pending' ? 'unknown' : 'done',
        source: 'derived',
      },
      {
        id: 'synced',
        label: 'Synced by ArgoCD',
        status: kind === 'pending' ? 'pending' : 'done',
        source: 'argocd',
      },
      {
        id: 'claimCreated',
        label: 'Claim created',
        status: kind === 'pending' ? 'pending' : 'done',
        source: 'cluster',
        at: '2025-05-01T10:00:00Z',
      },
      {
        id: 'ready',
        label: 'Ready',
        status: READY_STEP[kind],
        source: 'cluster',
      },
      {
        id: 'running',
        label: 'Running on Proxmox',
        status: ready ? 'done' : 'pending',
        source: 'cluster',
      },
    ],
    freshness:
      kind === 'stale'
        ? {
            cluster: 'sankofa-east',
            stale: true,
            asOf: '2025-05-01T10:05:00Z',
            ageSeconds: 240,
            error: '503 Service Unavailable',
          }
        : {
            cluster: 'sankofa-east',
            stale: false,
            asOf: '2025-05-01T10:05:00Z',
          },
    pullRequestUrl: 'http://localhost:3030/platform/sankofa-gitops/pulls/7',
    generatedAt: '2025-05-01T10:05:00Z',
  };
}
