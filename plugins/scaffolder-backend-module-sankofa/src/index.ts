/**
 * Scaffolder actions of the Sankofa Portal: VM claims rendered into a GitOps repository and
 * proposed as idempotent pull requests on GitHub, GitLab or Gitea.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSankofa as default } from './module';
export { createVmCreateAction } from './actions/vmCreate';
export { createVmUpdateAction } from './actions/vmUpdate';
export { createVmDeleteAction } from './actions/vmDelete';
export { createGitopsPullRequestAction } from './actions/gitopsPullRequest';
export { readSankofaSettings } from './config';
export type { SankofaSettings, GitopsSettings, ClaimSettings } from './config';
