import { KubeObject } from './store';

/**
 * A valid VirtualMachine claim as the scaffolder would write it; tests and the
 * benchmark build on it.
 */
export function sampleClaim(
  name: string,
  namespace = 'team-alpha',
  site = 'accra',
  image = 'debian-12',
): KubeObject {
  return {
    apiVersion: 'sankofa.io/v1alpha1',
    kind: 'VirtualMachine',
    metadata: {
      name,
      namespace,
      labels: { 'sankofa.io/owner': namespace, 'sankofa.io/site': site },
    },
    spec: {
      site,
      image,
      sizeClass: 'small',
      cpu: 2,
      memoryMiB: 2048,
      diskGiB: 20,
      network: { bridge: 'vmbr0', vlan: 20 },
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMsankofa kofi@sankofa'],
      powerState: 'Running',
      compositionRef: { name: 'xvirtualmachines.proxmox-bpg.sankofa.io' },
    },
  };
}

/** The composite Crossplane would create for a claim. */
export function sampleComposite(
  claim: KubeObject,
  suffix = 'x7k2p',
): KubeObject {
  return {
    apiVersion: 'sankofa.io/v1alpha1',
    kind: 'XVirtualMachine',
    metadata: {
      name: `${claim.metadata.name}-${suffix}`,
      labels: {
        'crossplane.io/claim-name': claim.metadata.name!,
        'crossplane.io/claim-namespace': claim.metadata.namespace!,
        'crossplane.io/composite': `${claim.metadata.name}-${suffix}`,
      },
    },
    spec: {
      ...claim.spec,
      claimRef: {
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        name: claim.metadata.name!,
        namespace: claim.metadata.namespace!,
      },
    },
  };
}

/** The cluster-scoped EnvironmentVM composed for a composite. */
export function sampleEnvironmentVm(
  composite: KubeObject,
  vmId: number,
): KubeObject {
  const spec = composite.spec;
  return {
    apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
    kind: 'EnvironmentVM',
    metadata: {
      name: `${composite.metadata.name}-vm`,
      labels: {
        'crossplane.io/claim-name': spec.claimRef.name,
        'crossplane.io/claim-namespace': spec.claimRef.namespace,
        'crossplane.io/composite': composite.metadata.name!,
      },
      annotations: { 'crossplane.io/external-name': String(vmId) },
    },
    spec: {
      forProvider: {
        nodeName: `pve-${spec.site}-1`,
        vmId,
        started: spec.powerState === 'Running',
        cpu: [{ cores: spec.cpu, type: 'x86-64-v2-AES' }],
        memory: [{ dedicated: spec.memoryMiB }],
        disk: [
          { datastoreId: 'local-lvm', interface: 'scsi0', size: spec.diskGiB },
        ],
        networkDevice: [
          { bridge: spec.network.bridge, vlanId: spec.network.vlan },
        ],
        initialization: [
          { userAccount: [{ username: 'sankofa', keys: spec.sshKeys }] },
        ],
      },
      providerConfigRef: { name: 'default' },
    },
  };
}
