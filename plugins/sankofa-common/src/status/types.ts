/**
 * The VM status document served by `GET /api/sankofa/vms/status` and the fleet list of `GET /vms`.
 * The backend builds it from its watch cache; the frontend and the actions registry render it.
 */

/** A Kubernetes condition status. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** One condition of a Kubernetes object (Crossplane's Synced/Ready and any other type). */
export interface StatusCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Where an object sits in the Crossplane chain. */
export type ResourceRole = 'claim' | 'composite' | 'managed';

/** Identifies one Kubernetes object in a cluster. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
}

/** One node of the chain claim → composite → managed resources. */
export interface StatusNode {
  role: ResourceRole;
  ref: ObjectRef;
  /**
   * False when the object is referenced (or expected) but not in the watch cache: not created yet,
   * deleted, or of a kind the backend does not watch.
   */
  found: boolean;
  synced: ConditionStatus;
  ready: ConditionStatus;
  conditions: StatusCondition[];
  createdAt?: string;
  deleting?: boolean;
  /** The object as stored, without metadata.managedFields; absent when not found. */
  manifest?: Record<string, unknown>;
  children: StatusNode[];
}

/** The deepest failing condition in the chain (or of the ArgoCD sync when nothing was created). */
export interface RootCause {
  resource: ObjectRef & { role: ResourceRole | 'application' };
  conditionType: string;
  reason: string;
  message: string;
  since?: string;
}

/** The VM's overall state, derived from the chain. */
export type VmState =
  /** No claim in the cluster yet (pull request open, not synced yet). */
  | 'Pending'
  /** Claim exists, not Ready, nothing failing. */
  | 'Creating'
  | 'Ready'
  /** Some condition in the chain fails: see rootCause. */
  | 'Failed'
  | 'Deleting'
  /** The cluster was never reached: nothing is known. */
  | 'Unknown';

export interface StatusRollup {
  state: VmState;
  /** Synced/Ready of the top object (the claim, or the namespaced XR in Crossplane v2). */
  synced: ConditionStatus;
  ready: ConditionStatus;
  rootCause?: RootCause;
}

/** One field whose desired value (spec.forProvider) differs from the observed one (status.atProvider). */
export interface DesiredObservedDiff {
  /** The managed resource the difference belongs to. */
  resource: ObjectRef;
  /** Dotted path below forProvider/atProvider, e.g. `memory[0].dedicated`. */
  path: string;
  desired: unknown;
  /** Undefined when the provider has not observed the field (yet). */
  observed?: unknown;
}

export interface NicAddresses {
  /** Interface name as reported by the QEMU agent (e.g. `eth0`), or `nic<N>`. */
  interface: string;
  addresses: string[];
}

/** What Proxmox reports through the managed EnvironmentVM. */
export interface ProxmoxFacts {
  site?: string;
  node?: string;
  vmId?: number;
  started?: boolean;
  ipv4: NicAddresses[];
  /** noVNC console link built from `sankofa.sites[].consoleUrl`; absent when not configured. */
  consoleUrl?: string;
}

/** The ArgoCD Application that syncs the VM's cluster folder. */
export interface ArgoCdFacts {
  application: { name: string; namespace: string };
  sync?: string;
  health?: string;
  revision?: string;
  /** Sync status of the claim itself inside the Application, when ArgoCD lists it. */
  claimSync?: string;
  lastOperation?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    revision?: string;
  };
}

export interface StatusEvent {
  type: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  involvedObject: ObjectRef;
}

export type TimelineStepId =
  | 'prOpened'
  | 'prMerged'
  | 'synced'
  | 'claimCreated'
  | 'ready'
  | 'running';

export interface TimelineStep {
  id: TimelineStepId;
  label: string;
  status: 'done' | 'pending' | 'failed' | 'unknown';
  at?: string;
  detail?: string;
  /** Where the fact came from: the Git host, ArgoCD, the cluster, or derived from other steps. */
  source: 'gitops' | 'argocd' | 'cluster' | 'annotation' | 'derived';
}

/** Freshness of the data: the cluster's watch cache may lag when the cluster is unreachable. */
export interface Freshness {
  cluster: string;
  /** True while a watch of this cluster is broken; data is as of `asOf`. */
  stale: boolean;
  /** When the cache was last known to be in sync with the cluster. */
  asOf?: string;
  /** Seconds since `asOf` when stale. */
  ageSeconds?: number;
  /** Last error talking to the cluster, when stale. */
  error?: string;
}

export interface VmStatusDocument {
  entityRef: string;
  claim: ObjectRef & { cluster: string };
  rollup: StatusRollup;
  tree?: StatusNode;
  desiredVsObserved: DesiredObservedDiff[];
  proxmox?: ProxmoxFacts;
  argocd?: ArgoCdFacts;
  events: StatusEvent[];
  timeline: TimelineStep[];
  freshness: Freshness;
  pullRequestUrl?: string;
  generatedAt: string;
}

/** One row of the fleet list. */
export interface FleetVm {
  entityRef: string;
  title?: string;
  cluster: string;
  namespace: string;
  name: string;
  site?: string;
  owner?: string;
  state: VmState;
  synced: ConditionStatus;
  ready: ConditionStatus;
  rootCause?: RootCause;
  node?: string;
  vmId?: number;
  stale: boolean;
}

export interface FleetListResponse {
  items: FleetVm[];
  totalItems: number;
  offset: number;
  limit: number;
  clusters: Freshness[];
}

export const VM_STATES: VmState[] = [
  'Pending',
  'Creating',
  'Ready',
  'Failed',
  'Deleting',
  'Unknown',
];
