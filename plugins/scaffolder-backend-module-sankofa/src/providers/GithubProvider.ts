import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  GithubIntegrationConfig,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { RetryOptions, withRateLimitRetry } from './retry';
import {
  GitHostProvider,
  PullRequestContent,
  PullRequestRef,
  RepoLocation,
} from './types';

type GithubPull = {
  number: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  head: { ref: string };
};

function githubState(pull: GithubPull): PullRequestRef['state'] {
  if (pull.merged_at) return 'merged';
  return pull.state === 'open' ? 'open' : 'closed';
}

/** GitHub (and GitHub Enterprise) through Octokit, with the integration's token or App. */
export class GithubProvider implements GitHostProvider {
  readonly kind = 'github' as const;
  readonly cloneUrl: string;
  private octokitPromise?: Promise<{ octokit: Octokit; token: string }>;

  constructor(
    private readonly config: GithubIntegrationConfig,
    private readonly credentials: GithubCredentialsProvider,
    private readonly location: RepoLocation,
    private readonly logger: LoggerService,
    private readonly retry: RetryOptions = {},
  ) {
    this.cloneUrl = `${location.origin}/${location.owner}/${location.repo}.git`;
  }

  private client() {
    this.octokitPromise ??= (async () => {
      const { token } = await this.credentials.getCredentials({
        url: `${this.location.origin}/${this.location.owner}/${this.location.repo}`,
      });
      if (!token) {
        throw new InputError(
          `repoUrl: no GitHub credentials for ${this.config.host}; configure integrations.github`,
        );
      }
      const octokit = new Octokit({
        auth: token,
        baseUrl: this.config.apiBaseUrl,
        // Rate limits are handled by withRateLimitRetry, with our own backoff.
        request: { retries: 0 },
      });
      return { octokit, token };
    })();
    return this.octokitPromise;
  }

  private call<T>(fn: (octokit: Octokit) => Promise<T>): Promise<T> {
    return withRateLimitRetry(
      async () => fn((await this.client()).octokit),
      this.retry,
    );
  }

  async gitCredentials() {
    return {
      username: 'x-access-token',
      password: (await this.client()).token,
    };
  }

  private toRef(pull: GithubPull): PullRequestRef {
    return {
      number: pull.number,
      url: pull.html_url,
      state: githubState(pull),
      headBranch: pull.head.ref,
    };
  }

  private async list(head: string, base: string, state: 'open' | 'all') {
    const { owner, repo } = this.location;
    const { data } = await this.call(o =>
      o.pulls.list({
        owner,
        repo,
        head: `${owner}:${head}`,
        base,
        state,
        sort: 'created',
        direction: 'desc',
        per_page: 10,
      }),
    );
    return data as GithubPull[];
  }

  async findOpenPullRequest(head: string, base: string) {
    const [pull] = await this.list(head, base, 'open');
    return pull ? this.toRef(pull) : undefined;
  }

  async findLatestPullRequest(head: string, base: string) {
    const [pull] = await this.list(head, base, 'all');
    return pull ? this.toRef(pull) : undefined;
  }

  private async decorate(number: number, content: PullRequestContent) {
    const { owner, repo } = this.location;
    if (content.labels.length > 0) {
      await this.call(o =>
        o.issues.addLabels({
          owner,
          repo,
          issue_number: number,
          labels: content.labels,
        }),
      );
    }
    if (content.reviewers.length > 0) {
      // `org/team` entries are teams, the rest users.
      const teams = content.reviewers
        .filter(r => r.includes('/'))
        .map(r => r.split('/').pop()!);
      const users = content.reviewers.filter(r => !r.includes('/'));
      try {
        await this.call(o =>
          o.pulls.requestReviewers({
            owner,
            repo,
            pull_number: number,
            reviewers: users,
            team_reviewers: teams,
          }),
        );
      } catch (error) {
        this.logger.warn(
          `Could not request reviewers on PR #${number}: ${error}`,
        );
      }
    }
  }

  async createPullRequest(
    head: string,
    base: string,
    content: PullRequestContent,
  ) {
    const { owner, repo } = this.location;
    let pull: GithubPull;
    try {
      ({ data: pull } = await this.call(o =>
        o.pulls.create({
          owner,
          repo,
          head,
          base,
          title: content.title,
          body: content.body,
          draft: content.draft,
        }),
      ));
    } catch (error) {
      // 422 "A pull request already exists": a concurrent attempt won; use its PR.
      if ((error as { status?: number }).status === 422) {
        const existing = await this.findOpenPullRequest(head, base);
        if (existing) return existing;
      }
      throw error;
    }
    await this.decorate(pull.number, content);
    return this.toRef(pull);
  }

  async updatePullRequest(pr: PullRequestRef, content: PullRequestContent) {
    const { owner, repo } = this.location;
    const { data } = await this.call(o =>
      o.pulls.update({
        owner,
        repo,
        pull_number: pr.number,
        title: content.title,
        body: content.body,
      }),
    );
    await this.decorate(pr.number, content);
    return this.toRef(data as GithubPull);
  }
}
