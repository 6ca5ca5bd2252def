import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { InputError } from '@backstage/errors';
import { RetryOptions, withRateLimitRetry } from '../providers/retry';

/**
 * Reads files of the GitOps repository at its target branch through Backstage's UrlReader, so
 * the integrations' credentials and allow-lists apply and no HTTP auth is written here.
 */
export class GitopsRepoReader {
  private readonly base: string;
  private readonly type: string;

  constructor(
    private readonly reader: UrlReaderService,
    integrations: ScmIntegrationRegistry,
    repoUrl: string,
    private readonly branch: string,
    private readonly retry: RetryOptions = {},
  ) {
    const integration = integrations.byUrl(repoUrl);
    if (!integration) {
      throw new InputError(
        `repoUrl: no integration is configured for ${repoUrl}`,
      );
    }
    this.type = integration.type;
    this.base = repoUrl.replace(/\.git$/, '').replace(/\/+$/, '');
  }

  /** The browse URL of a file at the branch, in the form each host's reader understands. */
  fileUrl(repoPath: string): string {
    const encoded = repoPath.split('/').map(encodeURIComponent).join('/');
    switch (this.type) {
      case 'github':
        return `${this.base}/blob/${this.branch}/${encoded}`;
      case 'gitlab':
        return `${this.base}/-/blob/${this.branch}/${encoded}`;
      case 'gitea':
        return `${this.base}/src/branch/${this.branch}/${encoded}`;
      default:
        throw new InputError(
          `repoUrl: ${this.type} repositories are not supported; use GitHub, GitLab or Gitea`,
        );
    }
  }

  /** The file's text, or undefined when it does not exist on the branch. */
  async read(repoPath: string): Promise<string | undefined> {
    try {
      const url = this.fileUrl(repoPath);
      return await withRateLimitRetry(async () => {
        try {
          const response = await this.reader.readUrl(url);
          return (await response.buffer()).toString('utf8');
        } catch (error) {
          // The readers report a host's 429 only in their message; give it a status to retry on.
          if (isError(error) && /\b429\b/.test(error.message)) {
            throw Object.assign(new Error(error.message), { status: 429 });
          }
          throw error;
        }
      }, this.retry);
    } catch (error) {
      if (
        error instanceof NotFoundError ||
        (isError(error) && error.name === 'NotFoundError')
      ) {
        return undefined;
      }
      throw error;
    }
  }
}
