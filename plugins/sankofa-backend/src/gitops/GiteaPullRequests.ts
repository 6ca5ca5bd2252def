import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { PullRequestFacts } from '../status/timeline';

/** Answers for pull requests named by an entity's `sankofa.io/pull-request` annotation. */
export interface PullRequestSource {
  get(pullRequestUrl: string): Promise<PullRequestFacts | undefined>;
}

interface CacheEntry {
  facts?: PullRequestFacts;
  expiresAt: number;
}

const OPEN_TTL_MS = 60_000;
const FAILURE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const TIMEOUT_MS = 2_000;

/**
 * Pull request facts from the GitOps repository on a Gitea host (`sankofa.gitops.repoUrl`,
 * token from `integrations.gitea`). Only URLs of that repository's pull requests are answered,
 * and the request URL is built from configuration plus the validated PR number: an annotation
 * can never make the backend call another host. Merged or closed PRs are cached for good, open
 * ones for a minute, so a page view rarely costs a Git host request.
 */
export class GiteaPullRequests implements PullRequestSource {
  private readonly cache = new Map<number, CacheEntry>();

  private constructor(
    private readonly repoUrl: string,
    private readonly apiRepoUrl: string,
    private readonly token: string | undefined,
    private readonly logger: LoggerService,
  ) {}

  static fromConfig(
    config: Config,
    logger: LoggerService,
  ): GiteaPullRequests | undefined {
    // The web form of the repository URL, as PR URLs start with it (no clone suffix).
    const repoUrl = config
      .getOptionalString('sankofa.gitops.repoUrl')
      ?.replace(/\/+$/, '')
      .replace(/\.git$/, '');
    if (!repoUrl) {
      return undefined;
    }
    const url = new URL(repoUrl);
    const [owner, repo] = url.pathname.split('/').filter(Boolean);
    const integration = (
      config.getOptionalConfigArray('integrations.gitea') ?? []
    ).find(i => i.getString('host') === url.host);
    if (!owner || !repo || !integration) {
      logger.info(
        'sankofa: no Gitea integration for sankofa.gitops.repoUrl; the timeline derives PR steps',
      );
      return undefined;
    }
    const base = (
      integration.getOptionalString('baseUrl') ?? url.origin
    ).replace(/\/+$/, '');
    return new GiteaPullRequests(
      repoUrl,
      `${base}/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
        repo,
      )}`,
      integration.getOptionalString('password'),
      logger,
    );
  }

  /** The PR number when the URL is one of the GitOps repository's pull requests. */
  private numberOf(pullRequestUrl: string): number | undefined {
    const prefix = `${this.repoUrl}/pulls/`;
    if (!pullRequestUrl.startsWith(prefix)) {
      return undefined;
    }
    const rest = pullRequestUrl.slice(prefix.length);
    return /^[1-9][0-9]{0,9}$/.test(rest) ? Number(rest) : undefined;
  }

  async get(pullRequestUrl: string): Promise<PullRequestFacts | undefined> {
    const number = this.numberOf(pullRequestUrl);
    if (number === undefined) {
      return undefined;
    }
    const cached = this.cache.get(number);
    if (cached && cached.expiresAt > Date.now()) {
      return cached.facts;
    }
    let entry: CacheEntry;
    try {
      const res = await fetch(`${this.apiRepoUrl}/pulls/${number}`, {
        headers: this.token ? { Authorization: `token ${this.token}` } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) {
        throw new Error(`${res.status} ${res.statusText}`);
      }
      const pr: any = await res.json();
      let state: PullRequestFacts['state'] = 'open';
      if (pr.merged) {
        state = 'merged';
      } else if (pr.state === 'closed') {
        state = 'closed';
      }
      const facts: PullRequestFacts = {
        url: pullRequestUrl,
        state,
        ...(pr.created_at ? { openedAt: String(pr.created_at) } : {}),
        ...(pr.merged_at ? { mergedAt: String(pr.merged_at) } : {}),
      };
      entry = {
        facts,
        expiresAt: state === 'open' ? Date.now() + OPEN_TTL_MS : Infinity,
      };
    } catch (e) {
      this.logger.warn(
        `sankofa: cannot read pull request ${number}: ${(e as Error).message}`,
      );
      entry = { expiresAt: Date.now() + FAILURE_TTL_MS };
    }
    if (this.cache.size >= MAX_ENTRIES) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(number, entry);
    return entry.facts;
  }
}
