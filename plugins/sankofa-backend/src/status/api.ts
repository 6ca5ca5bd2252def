import {
  ENVIRONMENT_VM,
  VM_CLAIM,
  VM_COMPOSITE,
} from '@sankofa/plugin-sankofa-common';

export interface ManagedApi {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/**
 * The Crossplane API the backend follows: the top object the entity points at (a claim, or a
 * namespaced XR in Crossplane v2), its composite kind (v1) and the managed kinds it composes.
 */
export interface ClaimApi {
  apiVersion: string;
  kind: string;
  plural: string;
  mode: 'claim' | 'namespacedXR';
  composite?: { apiVersion: string; kind: string; plural: string };
  managed: ManagedApi[];
}

export const DEFAULT_MANAGED_APIS: ManagedApi[] = [
  { ...ENVIRONMENT_VM.cluster, namespaced: false },
  { ...ENVIRONMENT_VM.namespaced, namespaced: true },
];

export const DEFAULT_CLAIM_API: ClaimApi = {
  ...VM_CLAIM,
  mode: 'claim',
  composite: { ...VM_COMPOSITE },
  managed: DEFAULT_MANAGED_APIS,
};

/** ArgoCD: one Application per cluster, `sankofa-<cluster>` in namespace argocd. */
export const ARGOCD_APPLICATION = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  plural: 'applications',
  namespace: 'argocd',
  nameFor: (cluster: string) => `sankofa-${cluster}`,
} as const;
