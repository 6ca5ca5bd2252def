/**
 * The local Sankofa site, for development and tests: a Keycloak-compatible IdP, Kubernetes API
 * stand-ins, a Git host with the Gitea API, and a reconciler playing ArgoCD + Crossplane + Proxmox.
 * Nothing in production imports this package.
 *
 * @packageDocumentation
 */
export * from './git';
export * from './idp';
export * from './kube';
export * from './reconciler';
export {
  startSandbox,
  writePortalConfig,
  DEFAULT_CLUSTER_PORTS,
} from './sandbox';
export type { Sandbox, SandboxOptions } from './sandbox';
