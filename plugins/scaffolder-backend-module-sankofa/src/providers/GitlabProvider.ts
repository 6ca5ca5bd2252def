import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GitLabIntegrationConfig,
  GitlabCredentialsProvider,
} from '@backstage/integration';
import { Gitlab } from '@gitbeaker/rest';
import { RetryOptions, withRateLimitRetry } from './retry';
import {
  GitHostProvider,
  PullRequestContent,
  PullRequestRef,
  RepoLocation,
} from './types';

type GitlabMr = {
  iid: number;
  web_url: string;
  state: string;
  source_branch: string;
};

const GITLAB_STATES: Record<string, PullRequestRef['state']> = {
  opened: 'open',
  merged: 'merged',
};

/** GitLab merge requests through @gitbeaker/rest, with the integration's token. */
export class GitlabProvider implements GitHostProvider {
  readonly kind = 'gitlab' as const;
  readonly cloneUrl: string;
  private readonly projectId: string;
  private clientPromise?: Promise<{
    api: InstanceType<typeof Gitlab>;
    token: string;
  }>;

  constructor(
    private readonly config: GitLabIntegrationConfig,
    private readonly credentials: GitlabCredentialsProvider,
    private readonly location: RepoLocation,
    private readonly logger: LoggerService,
    private readonly retry: RetryOptions = {},
  ) {
    this.projectId = `${location.owner}/${location.repo}`;
    this.cloneUrl = `${location.origin}/${this.projectId}.git`;
  }

  private client() {
    this.clientPromise ??= (async () => {
      const { token } = await this.credentials.getCredentials({
        url: `${this.location.origin}/${this.projectId}`,
      });
      if (!token) {
        throw new InputError(
          `repoUrl: no GitLab credentials for ${this.config.host}; configure integrations.gitlab`,
        );
      }
      const api = new Gitlab({ host: this.config.baseUrl, token });
      return { api, token };
    })();
    return this.clientPromise;
  }

  private call<T>(
    fn: (api: InstanceType<typeof Gitlab>) => Promise<T>,
  ): Promise<T> {
    return withRateLimitRetry(
      async () => fn((await this.client()).api),
      this.retry,
    );
  }

  async gitCredentials() {
    return { username: 'oauth2', password: (await this.client()).token };
  }

  private toRef(mr: GitlabMr): PullRequestRef {
    return {
      number: mr.iid,
      url: mr.web_url,
      state: GITLAB_STATES[mr.state] ?? 'closed',
      headBranch: mr.source_branch,
    };
  }

  private async list(head: string, base: string, state?: 'opened') {
    const mrs = await this.call(api =>
      api.MergeRequests.all({
        projectId: this.projectId,
        sourceBranch: head,
        targetBranch: base,
        ...(state ? { state } : {}),
        orderBy: 'created_at',
        sort: 'desc',
        perPage: 10,
        maxPages: 1,
      }),
    );
    return mrs as unknown as GitlabMr[];
  }

  async findOpenPullRequest(head: string, base: string) {
    const [mr] = await this.list(head, base, 'opened');
    return mr ? this.toRef(mr) : undefined;
  }

  async findLatestPullRequest(head: string, base: string) {
    const [mr] = await this.list(head, base);
    return mr ? this.toRef(mr) : undefined;
  }

  private async reviewerIds(usernames: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const username of usernames) {
      const users = (await this.call(api =>
        api.Users.all({ username }),
      )) as unknown as Array<{ id: number }>;
      if (users[0]) ids.push(users[0].id);
      else
        this.logger.warn(
          `GitLab user ${username} not found; not requested as reviewer`,
        );
    }
    return ids;
  }

  async createPullRequest(
    head: string,
    base: string,
    content: PullRequestContent,
  ) {
    const reviewerIds = await this.reviewerIds(content.reviewers);
    try {
      const mr = await this.call(api =>
        api.MergeRequests.create(
          this.projectId,
          head,
          base,
          content.draft ? `Draft: ${content.title}` : content.title,
          {
            description: content.body,
            labels: content.labels.join(','),
            reviewerIds,
            removeSourceBranch: true,
          },
        ),
      );
      return this.toRef(mr as unknown as GitlabMr);
    } catch (error) {
      // 409: "Another open merge request already exists for this source branch".
      const status = (error as any)?.cause?.response?.status;
      if (status === 409) {
        const existing = await this.findOpenPullRequest(head, base);
        if (existing) return existing;
      }
      throw error;
    }
  }

  async updatePullRequest(pr: PullRequestRef, content: PullRequestContent) {
    const reviewerIds = await this.reviewerIds(content.reviewers);
    const mr = await this.call(api =>
      api.MergeRequests.edit(this.projectId, pr.number, {
        title: content.title,
        description: content.body,
        labels: content.labels.join(','),
        reviewerIds,
      }),
    );
    return this.toRef(mr as unknown as GitlabMr);
  }
}
