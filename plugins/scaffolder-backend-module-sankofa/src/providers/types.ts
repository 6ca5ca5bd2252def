/** A pull (or merge) request as the action reports it. */
export interface PullRequestRef {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  headBranch: string;
}

export interface PullRequestContent {
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  draft?: boolean;
}

/**
 * What the pull-request action needs from a Git host: credentials for git over HTTPS and the
 * pull-request API. One implementation per host kind; git itself is the same everywhere.
 */
export interface GitHostProvider {
  readonly kind: 'github' | 'gitlab' | 'gitea';
  /** The repository's HTTPS clone URL. */
  readonly cloneUrl: string;
  gitCredentials(): Promise<{ username: string; password: string }>;
  /** The open PR from `head` into `base`, if any. */
  findOpenPullRequest(
    head: string,
    base: string,
  ): Promise<PullRequestRef | undefined>;
  /** The newest PR from `head` into `base` in any state, if any. */
  findLatestPullRequest(
    head: string,
    base: string,
  ): Promise<PullRequestRef | undefined>;
  createPullRequest(
    head: string,
    base: string,
    content: PullRequestContent,
  ): Promise<PullRequestRef>;
  updatePullRequest(
    pr: PullRequestRef,
    content: PullRequestContent,
  ): Promise<PullRequestRef>;
}

/** Where a repository lives, parsed from its URL. */
export interface RepoLocation {
  /** e.g. https://github.com */
  origin: string;
  /** Everything between the host and the repository name (GitLab groups may nest). */
  owner: string;
  repo: string;
}

export function parseRepoLocation(repoUrl: string): RepoLocation {
  const url = new URL(repoUrl);
  const parts = url.pathname
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (parts.length < 2) {
    throw new TypeError(
      `repoUrl: "${repoUrl}" must name a repository, like https://host/owner/repo`,
    );
  }
  return {
    origin: url.origin,
    owner: parts.slice(0, -1).join('/'),
    repo: parts[parts.length - 1],
  };
}
