/** The Crossplane API of our XRD (deploy/crossplane/definition.yaml). */
export const SANKOFA_API_GROUP = 'sankofa.io';
export const SANKOFA_API_VERSION = 'v1alpha1';

export const VM_CLAIM = {
  apiVersion: `${SANKOFA_API_GROUP}/${SANKOFA_API_VERSION}`,
  kind: 'VirtualMachine',
  plural: 'virtualmachines',
} as const;

export const VM_COMPOSITE = {
  apiVersion: `${SANKOFA_API_GROUP}/${SANKOFA_API_VERSION}`,
  kind: 'XVirtualMachine',
  plural: 'xvirtualmachines',
} as const;

/** provider-proxmox-bpg's managed resource, cluster-scoped (Crossplane v1) and namespaced (v2). */
export const ENVIRONMENT_VM = {
  cluster: {
    apiVersion: 'virtualenvironmentvm.proxmoxbpg.crossplane.io/v1alpha1',
    kind: 'EnvironmentVM',
    plural: 'environmentvms',
  },
  namespaced: {
    apiVersion: 'virtualenvironmentvm.proxmoxbpg.m.crossplane.io/v1alpha1',
    kind: 'EnvironmentVM',
    plural: 'environmentvms',
  },
} as const;

/** Labels Crossplane puts on composed resources. */
export const CROSSPLANE_LABELS = {
  claimName: 'crossplane.io/claim-name',
  claimNamespace: 'crossplane.io/claim-namespace',
  composite: 'crossplane.io/composite',
} as const;

/** Labels our scaffolder puts on claims. */
export const SANKOFA_LABELS = {
  owner: 'sankofa.io/owner',
  site: 'sankofa.io/site',
} as const;

/** The catalog entity type of a VM (kind Resource). */
export const VM_ENTITY_TYPE = 'virtual-machine';

export type PowerState = 'Running' | 'Stopped';
