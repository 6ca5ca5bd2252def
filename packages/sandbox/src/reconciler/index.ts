export { ArgoCdReconciler } from './argocd';
export type { ArgoCdReconcilerOptions } from './argocd';
export { CrossplaneReconciler } from './crossplane';
export type { CrossplaneReconcilerOptions } from './crossplane';
export { DEFAULT_SITES, SiteConditions } from './sites';
export type { SandboxSite } from './sites';
export * from './compose';
export { seedVms } from './seed';
