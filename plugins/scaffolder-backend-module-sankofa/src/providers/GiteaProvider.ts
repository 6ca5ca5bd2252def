import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GiteaIntegrationConfig,
  getGiteaRequestOptions,
} from '@backstage/integration';
import { withRateLimitRetry, RetryOptions } from './retry';
import {
  GitHostProvider,
  PullRequestContent,
  PullRequestRef,
  RepoLocation,
} from './types';

class GiteaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
    this.name = 'GiteaHttpError';
  }
}

interface GiteaPull {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  merged?: boolean;
  head?: { ref?: string };
  base?: { ref?: string };
}

const LABEL_COLOR = '#1d76db';

/** Gitea and Forgejo through their REST API (`/api/v1`), authenticated by the integration. */
export class GiteaProvider implements GitHostProvider {
  readonly kind = 'gitea' as const;
  readonly cloneUrl: string;
  private readonly api: string;
  private readonly repoPath: string;

  constructor(
    private readonly config: GiteaIntegrationConfig,
    location: RepoLocation,
    private readonly logger: LoggerService,
    private readonly retry: RetryOptions = {},
  ) {
    const base = (config.baseUrl ?? `https://${config.host}`).replace(
      /\/+$/,
      '',
    );
    this.api = `${base}/api/v1`;
    this.repoPath = `/repos/${encodeURIComponent(
      location.owner,
    )}/${encodeURIComponent(location.repo)}`;
    this.cloneUrl = `${base}/${location.owner}/${location.repo}.git`;
  }

  async gitCredentials() {
    if (!this.config.password) {
      throw new InputError(
        `repoUrl: integrations.gitea for ${this.config.host} has no password (token) to push with`,
      );
    }
    // Gitea takes the token as the password of HTTP basic auth, as git sends it.
    return {
      username: this.config.username ?? 'oauth2',
      password: this.config.password,
    };
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T | undefined> {
    return withRateLimitRetry(async () => {
      const options = getGiteaRequestOptions(this.config) as {
        headers?: Record<string, string>;
      };
      const response = await fetch(`${this.api}${path}`, {
        method,
        headers: {
          ...options.headers,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      if (response.status === 404 && method === 'GET') {
        return undefined;
      }
      if (!response.ok) {
        const text = await response.text();
        throw new GiteaHttpError(
          response.status,
          response.headers,
          `Gitea ${method} ${path} failed with ${response.status}: ${text.slice(
            0,
            300,
          )}`,
        );
      }
      if (response.status === 204) return undefined;
      return (await response.json()) as T;
    }, this.retry);
  }

  private toRef(pull: GiteaPull): PullRequestRef {
    return {
      number: pull.number,
      url: pull.html_url,
      state: pull.merged ? 'merged' : pull.state,
      headBranch: pull.head?.ref ?? '',
    };
  }

  async findLatestPullRequest(head: string, base: string) {
    const pull = await this.request<GiteaPull>(
      'GET',
      `${this.repoPath}/pulls/${encodeURIComponent(base)}/${head
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
    );
    return pull ? this.toRef(pull) : undefined;
  }

  async findOpenPullRequest(head: string, base: string) {
    const latest = await this.findLatestPullRequest(head, base);
    return latest?.state === 'open' ? latest : undefined;
  }

  /**
   * Scans the open PRs for one from `head`; only after Gitea refused a duplicate, since older
   * Gitea lacks the lookup by branches and a scan costs a page per 50 open PRs.
   */
  private async scanOpenPullRequests(head: string, base: string) {
    for (let page = 1; page <= 20; page++) {
      const pulls = await this.request<GiteaPull[]>(
        'GET',
        `${this.repoPath}/pulls?state=open&limit=50&page=${page}`,
      );
      const match = pulls?.find(
        p => p.head?.ref === head && p.base?.ref === base,
      );
      if (match) return this.toRef(match);
      if (!pulls || pulls.length < 50) break;
    }
    return undefined;
  }

  private async labelIds(names: string[]): Promise<number[]> {
    if (names.length === 0) return [];
    const list = async () =>
      (await this.request<Array<{ id: number; name: string }>>(
        'GET',
        `${this.repoPath}/labels?limit=50`,
      )) ?? [];
    let labels = await list();
    for (const name of names) {
      if (labels.some(l => l.name === name)) continue;
      try {
        await this.request('POST', `${this.repoPath}/labels`, {
          name,
          color: LABEL_COLOR,
        });
      } catch (error) {
        // Another task may have created it a moment ago.
        if ((error as GiteaHttpError).status !== 409) throw error;
      }
      labels = await list();
    }
    return names
      .map(n => labels.find(l => l.name === n)?.id)
      .filter((id): id is number => id !== undefined);
  }

  private async requestReviewers(number: number, reviewers: string[]) {
    if (reviewers.length === 0) return;
    try {
      await this.request(
        'POST',
        `${this.repoPath}/pulls/${number}/requested_reviewers`,
        { reviewers },
      );
    } catch (error) {
      this.logger.warn(
        `Could not request reviewers ${reviewers.join(
          ', ',
        )} on PR #${number}: ${error}`,
      );
    }
  }

  async createPullRequest(
    head: string,
    base: string,
    content: PullRequestContent,
  ): Promise<PullRequestRef> {
    const labels = await this.labelIds(content.labels);
    let pull: GiteaPull | undefined;
    try {
      pull = await this.request<GiteaPull>('POST', `${this.repoPath}/pulls`, {
        head,
        base,
        title: content.draft ? `WIP: ${content.title}` : content.title,
        body: content.body,
        labels,
      });
    } catch (error) {
      // 409: a concurrent attempt opened it first; use that one.
      if ((error as GiteaHttpError).status === 409) {
        const existing =
          (await this.findOpenPullRequest(head, base)) ??
          (await this.scanOpenPullRequests(head, base));
        if (existing) return existing;
      }
      throw error;
    }
    const ref = this.toRef(pull!);
    await this.requestReviewers(ref.number, content.reviewers);
    return ref;
  }

  async updatePullRequest(
    pr: PullRequestRef,
    content: PullRequestContent,
  ): Promise<PullRequestRef> {
    const labels = await this.labelIds(content.labels);
    const pull = await this.request<GiteaPull>(
      'PATCH',
      `${this.repoPath}/pulls/${pr.number}`,
      { title: content.title, body: content.body, labels },
    );
    await this.requestReviewers(pr.number, content.reviewers);
    return pull ? this.toRef(pull) : pr;
  }
}
