import { createHash } from 'node:crypto';
import { KubeObject } from '../kube';

export const CLAIM_API = {
  apiVersion: 'sankofa.io/v1alpha1',
  kind: 'VirtualMachine',
};
export const COMPOSITE_API = {
  apiVersion: 'sankofa.io/v1alpha1',
  kind: 'XVirtualMachine',
};
export const MR_API = {
  apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
  kind: 'EnvironmentVM',
};
export const COMPOSITION_NAME = 'xvirtualmachines.proxmox-bpg.sankofa.io';

/** Crossplane names a claim's composite `<claim>-<5 random chars>`; ours are stable per claim uid. */
export function compositeName(claim: KubeObject): string {
  const suffix = createHash('sha256')
    .update(claim.metadata.uid ?? claim.metadata.name!)
    .digest('hex')
    .slice(0, 5);
  return `${claim.metadata.name}-${suffix}`;
}

export function crossplaneLabels(claim: KubeObject, composite: string) {
  return {
    'crossplane.io/claim-name': claim.metadata.name!,
    'crossplane.io/claim-namespace': claim.metadata.namespace!,
    'crossplane.io/composite': composite,
  };
}

/** The composite a claim asks for: its spec plus Crossplane's references. */
export function composeComposite(claim: KubeObject, name: string): KubeObject {
  const { resourceRef: _ignored, ...spec } = claim.spec ?? {};
  return {
    ...COMPOSITE_API,
    metadata: {
      name,
      labels: { ...crossplaneLabels(claim, name), ...claim.metadata.labels },
    },
    spec: {
      ...spec,
      compositionRef: { name: COMPOSITION_NAME },
      claimRef: {
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
      },
      resourceRefs: [{ ...MR_API, name }],
    },
  };
}

/**
 * The EnvironmentVM the Composition (deploy/crossplane/composition.yaml) renders for a composite.
 * Kept in step with that file by hand: it is what function-patch-and-transform would produce.
 */
export function composeEnvironmentVm(
  composite: KubeObject,
  claim: KubeObject,
  nodeName: string,
): KubeObject {
  const spec = composite.spec;
  const name = composite.metadata.name!;
  return {
    ...MR_API,
    metadata: {
      name,
      labels: crossplaneLabels(claim, name),
      annotations: {
        'crossplane.io/composition-resource-name': 'environment-vm',
      },
      ownerReferences: [
        {
          apiVersion: composite.apiVersion,
          kind: composite.kind,
          name,
          uid: composite.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      forProvider: {
        name: claim.metadata.name,
        nodeName,
        started: spec.powerState !== 'Stopped',
        onBoot: true,
        agent: [{ enabled: true }],
        cpu: [{ cores: spec.cpu, type: 'x86-64-v2-AES' }],
        memory: [{ dedicated: spec.memoryMiB }],
        disk: [
          {
            datastoreId: 'local-lvm',
            interface: 'scsi0',
            size: spec.diskGiB,
            importFrom: `local:import/${spec.image}.qcow2`,
          },
        ],
        networkDevice: [
          {
            bridge: spec.network?.bridge ?? 'vmbr0',
            ...(spec.network?.vlan ? { vlanId: spec.network.vlan } : {}),
          },
        ],
        operatingSystem: [{ type: 'l26' }],
        initialization: [
          {
            ipConfig: [{ ipv4: [{ address: 'dhcp' }] }],
            userAccount: [{ username: 'sankofa', keys: spec.sshKeys ?? [] }],
          },
        ],
        tags: ['sankofa', spec.site, claim.metadata.namespace],
      },
      providerConfigRef: { name: spec.site },
      deletionPolicy: 'Delete',
      managementPolicies: ['*'],
    },
  };
}

export interface Condition {
  type: 'Synced' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** Replaces conditions by type, keeping lastTransitionTime when the status did not change. */
export function setConditions(
  current: Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>[],
): Condition[] {
  const now = new Date().toISOString();
  const byType = new Map((current ?? []).map(c => [c.type, c]));
  for (const c of next) {
    const old = byType.get(c.type);
    const unchanged = old && old.status === c.status && old.reason === c.reason;
    byType.set(c.type, {
      ...c,
      lastTransitionTime: unchanged ? old.lastTransitionTime : now,
    });
  }
  return [...byType.values()];
}
