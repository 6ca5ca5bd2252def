import { VM_CLAIM } from '@sankofa/plugin-sankofa-common';
import {
  MemoryView,
  T0,
  T3,
  application,
  creating,
  eventFor,
  ready,
  syncError,
  synced,
  unavailable,
  vmChain,
} from '../__fixtures__/chain';
import { DEFAULT_CLAIM_API } from './api';
import { buildStatusDocument } from './document';

const IMAGE_MISSING =
  "create failed: async create failed: failed to create VM: error creating VM: received an HTTP 500 response - Reason: volume 'local:import/ubuntu-24.04.qcow2' does not exist";

function doc(
  view: MemoryView,
  name = 'web-1',
  annotations: Record<string, string> = {},
) {
  return buildStatusDocument({
    entityRef: `resource:team-alpha/${name}`,
    annotations,
    claimRef: { cluster: view.name, namespace: 'team-alpha', name },
    api: DEFAULT_CLAIM_API,
    view,
    sites: [
      { name: 'accra', consoleUrl: 'https://pve-accra.example.org:8006' },
    ],
  });
}

describe('buildStatusDocument', () => {
  it('builds the v1 chain claim → composite → EnvironmentVM of a ready VM with Proxmox facts', () => {
    const { claim, xr, vm } = vmChain({
      claimConditions: [synced(), ready()],
      xrConditions: [synced(), ready()],
      vmConditions: [synced(), ready()],
      atProvider: {
        nodeName: 'pve-accra-1',
        vmId: 4321,
        started: true,
        name: 'web-1',
        memory: [{ dedicated: 2048 }],
        networkInterfaceNames: ['lo', 'eth0'],
        ipv4Addresses: [['127.0.0.1'], ['10.20.0.15']],
      },
    });
    const view = new MemoryView('sankofa-east', [
      claim,
      xr,
      vm,
      application('sankofa-east', { phase: 'Succeeded', finishedAt: T0 }),
    ]);
    const d = doc(view);
    expect(d.rollup).toEqual({ state: 'Ready', synced: 'True', ready: 'True' });
    expect(d.tree?.role).toBe('claim');
    expect(d.tree?.children[0].role).toBe('composite');
    expect(d.tree?.children[0].children[0]).toMatchObject({
      role: 'managed',
      found: true,
      ref: { kind: 'EnvironmentVM', name: 'web-1-x7k2p-vm' },
      synced: 'True',
      ready: 'True',
    });
    expect(
      (d.tree?.children[0].children[0].manifest as any).metadata.managedFields,
    ).toBeUndefined();
    expect(d.proxmox).toEqual({
      site: 'accra',
      node: 'pve-accra-1',
      vmId: 4321,
      started: true,
      ipv4: [{ interface: 'eth0', addresses: ['10.20.0.15'] }],
      consoleUrl:
        'https://pve-accra.example.org:8006/?console=kvm&novnc=1&vmid=4321&vmname=web-1&node=pve-accra-1&resize=off',
    });
    expect(d.argocd).toMatchObject({
      sync: 'Synced',
      health: 'Progressing',
      revision: '3f1c2ab9d0e4',
      claimSync: 'Synced',
    });
    expect(d.timeline.map(s => [s.id, s.status])).toEqual([
      ['prOpened', 'done'],
      ['prMerged', 'done'],
      ['synced', 'done'],
      ['claimCreated', 'done'],
      ['ready', 'done'],
      ['running', 'done'],
    ]);
    expect(d.timeline.find(s => s.id === 'running')?.at).toBe(T3);
  });

  it('pins the EnvironmentVM reconcile error (Proxmox API message) as root cause when the image is missing', () => {
    const { claim, xr, vm } = vmChain({
      site: 'tamale',
      claimConditions: [
        synced(),
        unavailable('Unready resources: web-1-x7k2p-vm'),
      ],
      xrConditions: [
        synced(),
        unavailable('Unready resources: web-1-x7k2p-vm'),
      ],
      vmConditions: [syncError(IMAGE_MISSING), creating()],
    });
    const view = new MemoryView('sankofa-west', [
      claim,
      xr,
      vm,
      eventFor(vm!, 'CannotCreateExternalResource', IMAGE_MISSING),
    ]);
    const d = doc(view);
    expect(d.rollup.state).toBe('Failed');
    expect(d.rollup.ready).toBe('False');
    expect(d.rollup.rootCause).toMatchObject({
      resource: {
        kind: 'EnvironmentVM',
        role: 'managed',
        name: 'web-1-x7k2p-vm',
      },
      conditionType: 'Synced',
      reason: 'ReconcileError',
      message: IMAGE_MISSING,
    });
    expect(d.events).toHaveLength(1);
    expect(d.events[0]).toMatchObject({
      type: 'Warning',
      reason: 'CannotCreateExternalResource',
      involvedObject: { kind: 'EnvironmentVM' },
    });
    expect(d.timeline.find(s => s.id === 'ready')).toMatchObject({
      status: 'failed',
    });
  });

  it('pins the composite when the quota is exhausted and nothing was composed', () => {
    const { claim, xr } = vmChain({
      claimConditions: [synced(), creating()],
      xrConditions: [
        syncError(
          'cannot compose resources: quota exhausted: team-alpha uses 16 of 16 vCPUs at site accra',
        ),
      ],
    });
    (xr.spec as any).resourceRefs = [];
    const d = doc(new MemoryView('sankofa-east', [claim, xr]));
    expect(d.rollup.state).toBe('Failed');
    expect(d.rollup.rootCause).toMatchObject({
      resource: { role: 'composite', kind: 'XVirtualMachine' },
      reason: 'ReconcileError',
      message: expect.stringContaining('quota exhausted'),
    });
    expect(d.tree?.children[0].children).toEqual([]);
  });

  it('prefers the deepest failure over the echoes above it (node offline)', () => {
    const msg =
      'observe failed: cannot get VM 4321 on node pve-accra-2: node offline';
    const { claim, xr, vm } = vmChain({
      claimConditions: [
        synced(),
        unavailable('composite resource claim is not ready'),
      ],
      xrConditions: [
        syncError('cannot apply composed resource: earlier failure'),
        unavailable('Unready resources'),
      ],
      vmConditions: [
        syncError(msg),
        unavailable('node offline', '2025-05-01T10:00:50Z'),
      ],
    });
    const d = doc(new MemoryView('sankofa-east', [claim, xr, vm]));
    expect(d.rollup.rootCause).toMatchObject({
      resource: { role: 'managed' },
      conditionType: 'Synced',
      message: msg,
    });
  });

  it('follows Crossplane v2: namespaced XR → spec.crossplane.resourceRefs → namespaced EnvironmentVM', () => {
    const { xr, vm } = vmChain({
      v2: true,
      xrConditions: [synced(), ready()],
      vmConditions: [synced(), ready()],
      atProvider: { vmId: 105, nodeName: 'pve-accra-3', started: true },
    });
    const d = doc(new MemoryView('sankofa-east', [xr, vm]));
    expect(d.tree).toMatchObject({
      role: 'composite',
      ref: { kind: VM_CLAIM.kind, namespace: 'team-alpha' },
    });
    expect(d.tree?.children[0]).toMatchObject({
      found: true,
      ref: {
        apiVersion: 'virtualenvironmentvm.proxmoxbpg.m.crossplane.io/v1alpha1',
        namespace: 'team-alpha',
      },
    });
    expect(d.rollup.state).toBe('Ready');
    expect(d.proxmox).toMatchObject({ node: 'pve-accra-3', vmId: 105 });
  });

  it('reports a creating VM with no root cause and a dangling ref as not found', () => {
    const { claim, xr } = vmChain();
    const d = doc(new MemoryView('sankofa-east', [claim, xr]));
    expect(d.rollup).toEqual({
      state: 'Creating',
      synced: 'True',
      ready: 'False',
    });
    expect(d.tree?.children[0].children[0]).toMatchObject({
      found: false,
      ref: { kind: 'EnvironmentVM' },
    });
    expect(d.timeline.find(s => s.id === 'running')?.status).toBe('pending');
  });

  it('is Pending without a claim, Failed with the ArgoCD message when the sync failed, Unknown before the first list', () => {
    const view = new MemoryView('sankofa-east', []);
    expect(
      doc(view, 'web-1', {
        'sankofa.io/pull-request':
          'http://localhost:3030/platform/sankofa-gitops/pulls/7',
      }).rollup.state,
    ).toBe('Pending');
    const pending = doc(view, 'web-1', {
      'sankofa.io/pull-request':
        'http://localhost:3030/platform/sankofa-gitops/pulls/7',
    });
    expect(pending.timeline[0]).toMatchObject({
      id: 'prOpened',
      status: 'done',
      source: 'annotation',
    });
    expect(pending.pullRequestUrl).toContain('/pulls/7');

    view.add(
      application('sankofa-east', {
        phase: 'Failed',
        message:
          'VirtualMachine.sankofa.io "web-1" is invalid: spec.cpu: Invalid value: 0',
      }),
    );
    const failed = doc(view);
    expect(failed.rollup).toMatchObject({
      state: 'Failed',
      rootCause: {
        resource: { role: 'application', kind: 'Application' },
        reason: 'SyncFailed',
        message: expect.stringContaining('spec.cpu'),
      },
    });

    const unknown = new MemoryView('sankofa-east', []);
    unknown.isSynced = false;
    expect(doc(unknown).rollup.state).toBe('Unknown');
  });

  it('lists desired vs observed differences of the managed resource', () => {
    const { claim, xr, vm } = vmChain({
      vmConditions: [synced(), ready()],
      atProvider: {
        agent: [{ enabled: true }],
        cpu: [{ cores: 2, type: 'x86-64-v2-AES' }],
        memory: [{ dedicated: '1024' }],
        name: 'web-1',
        nodeName: 'pve-accra-1',
        started: true,
        tags: ['team-alpha', 'sankofa'],
        networkDevice: [{ bridge: 'vmbr0', vlanId: '20' }],
        operatingSystem: [{ type: 'l26' }],
        disk: [{ datastoreId: 'local-lvm', interface: 'scsi0', size: 20 }],
        initialization: [
          {
            ipConfig: [{ ipv4: [{ address: 'dhcp' }] }],
            userAccount: [
              {
                keys: [
                  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK kofi@example.org',
                ],
                username: 'debian',
              },
            ],
          },
        ],
      },
    });
    const d = doc(new MemoryView('sankofa-east', [claim, xr, vm]));
    expect(d.desiredVsObserved).toEqual([
      {
        resource: expect.objectContaining({ kind: 'EnvironmentVM' }),
        path: 'memory[0].dedicated',
        desired: 2048,
        observed: '1024',
      },
    ]);
  });

  it('has no differences before the provider observed anything', () => {
    const { claim, xr, vm } = vmChain();
    expect(
      doc(new MemoryView('sankofa-east', [claim, xr, vm])).desiredVsObserved,
    ).toEqual([]);
  });

  it('takes the PR steps of the timeline from the Git host when it answered', () => {
    const { claim, xr, vm } = vmChain();
    const d = buildStatusDocument({
      entityRef: 'resource:team-alpha/web-1',
      annotations: {
        'sankofa.io/pull-request':
          'http://localhost:3030/platform/sankofa-gitops/pulls/3',
      },
      claimRef: {
        cluster: 'sankofa-east',
        namespace: 'team-alpha',
        name: 'web-1',
      },
      api: DEFAULT_CLAIM_API,
      view: new MemoryView('sankofa-east', [claim, xr, vm]),
      sites: [],
      pullRequest: {
        url: 'http://localhost:3030/platform/sankofa-gitops/pulls/3',
        state: 'merged',
        openedAt: '2025-05-01T09:50:00Z',
        mergedAt: '2025-05-01T09:58:00Z',
      },
    });
    expect(d.timeline.slice(0, 2)).toEqual([
      expect.objectContaining({
        id: 'prOpened',
        status: 'done',
        at: '2025-05-01T09:50:00Z',
        source: 'gitops',
      }),
      expect.objectContaining({
        id: 'prMerged',
        status: 'done',
        at: '2025-05-01T09:58:00Z',
        source: 'gitops',
      }),
    ]);
  });

  it('marks a deleting claim', () => {
    const { claim, xr, vm } = vmChain({ claimConditions: [synced(), ready()] });
    claim!.metadata!.deletionTimestamp = T3;
    expect(
      doc(new MemoryView('sankofa-east', [claim, xr, vm])).rollup.state,
    ).toBe('Deleting');
  });
});
