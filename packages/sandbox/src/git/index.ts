export { startGitHost } from './startGitHost';
export type { GitHost, GitHostOptions } from './startGitHost';
export type { GitHostUser, PullRecord, LabelRecord } from './state';
export type { RateLimitOptions, FailureOptions } from './limits';
export { FaultInjector } from './limits';
export {
  GITOPS_OWNER,
  GITOPS_REPO,
  GITOPS_CLUSTERS,
  gitopsSeedFiles,
} from './seed';
