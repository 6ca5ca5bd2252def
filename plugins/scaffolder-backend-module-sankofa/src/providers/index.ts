import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { GiteaProvider } from './GiteaProvider';
import { GithubProvider } from './GithubProvider';
import { GitlabProvider } from './GitlabProvider';
import { RetryOptions } from './retry';
import { GitHostProvider, parseRepoLocation } from './types';

export type {
  GitHostProvider,
  PullRequestRef,
  PullRequestContent,
} from './types';

/** Picks the provider for `repoUrl` from Backstage's `integrations` config. */
export function createGitHostProvider(options: {
  repoUrl: string;
  integrations: ScmIntegrationRegistry;
  logger: LoggerService;
  retry?: RetryOptions;
}): GitHostProvider {
  const { repoUrl, integrations, logger, retry } = options;
  let location;
  try {
    location = parseRepoLocation(repoUrl);
  } catch (error) {
    throw new InputError(`repoUrl: "${repoUrl}" is not a repository URL`);
  }
  const integration = integrations.byUrl(repoUrl);
  switch (integration?.type) {
    case 'github':
      return new GithubProvider(
        integrations.github.byUrl(repoUrl)!.config,
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
        location,
        logger,
        retry,
      );
    case 'gitlab':
      return new GitlabProvider(
        integrations.gitlab.byUrl(repoUrl)!.config,
        DefaultGitlabCredentialsProvider.fromIntegrations(integrations),
        location,
        logger,
        retry,
      );
    case 'gitea':
      return new GiteaProvider(
        integrations.gitea.byUrl(repoUrl)!.config,
        location,
        logger,
        retry,
      );
    case undefined:
      throw new InputError(
        `repoUrl: no integration is configured for ${new URL(repoUrl).host}`,
      );
    default:
      throw new InputError(
        `repoUrl: ${
          integration!.type
        } is not supported; use GitHub, GitLab or Gitea`,
      );
  }
}
