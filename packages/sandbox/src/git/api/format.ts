import type { CommitInfo, TreeEntry } from '../GitRepository';
import type {
  GitHostState,
  LabelRecord,
  PullRecord,
  RepoRecord,
} from '../state';

/** What every route needs: the state and where the host is reachable. */
export interface GitHostContext {
  state: GitHostState;
  baseUrl(): string;
}

const apiBase = (ctx: GitHostContext) => `${ctx.baseUrl()}/api/v1`;
const htmlRepo = (ctx: GitHostContext, repo: RepoRecord) =>
  `${ctx.baseUrl()}/${repo.owner}/${repo.name}`;
const apiRepo = (ctx: GitHostContext, repo: RepoRecord) =>
  `${apiBase(ctx)}/repos/${repo.owner}/${repo.name}`;

const encodePath = (p: string) =>
  p.split('/').map(encodeURIComponent).join('/');

export function userJson(ctx: GitHostContext, login: string) {
  const user = ctx.state.findUser(login);
  const name = user?.login ?? login;
  return {
    id: ctx.state.ownerId(name),
    login: name,
    login_name: '',
    full_name: user?.fullName ?? '',
    email: user?.email ?? `${name}@sankofa.local`,
    avatar_url: `${ctx.baseUrl()}/avatars/${name}`,
    html_url: `${ctx.baseUrl()}/${name}`,
    language: '',
    is_admin: Boolean(user?.admin),
    restricted: false,
    active: true,
    prohibit_login: false,
    visibility: 'public',
    username: name,
  };
}

export function repoJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  empty: boolean,
  viewer?: string,
) {
  const html = htmlRepo(ctx, repo);
  const canWrite = Boolean(viewer);
  const host = new URL(ctx.baseUrl()).host;
  return {
    id: repo.id,
    owner: userJson(ctx, repo.owner),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    description: repo.description,
    empty,
    private: repo.private,
    fork: false,
    template: false,
    parent: null,
    mirror: false,
    archived: false,
    html_url: html,
    url: apiRepo(ctx, repo),
    clone_url: `${html}.git`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    website: '',
    default_branch: repo.defaultBranch,
    has_issues: true,
    has_pull_requests: true,
    allow_merge_commits: true,
    allow_squash_merge: true,
    allow_rebase: false,
    default_merge_style: 'merge',
    open_pr_counter: repo.pulls.filter(p => p.state === 'open').length,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    permissions: {
      admin: Boolean(viewer && ctx.state.findUser(viewer)?.admin),
      push: canWrite,
      pull: true,
    },
  };
}

export function commitRefJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  info: CommitInfo,
) {
  return {
    id: info.sha,
    message: info.message,
    url: `${htmlRepo(ctx, repo)}/commit/${info.sha}`,
    author: { name: info.author.name, email: info.author.email, username: '' },
    committer: {
      name: info.committer.name,
      email: info.committer.email,
      username: '',
    },
    timestamp: info.committer.date,
    verification: null,
  };
}

export function branchJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  name: string,
  info: CommitInfo,
  viewer?: string,
) {
  return {
    name,
    commit: commitRefJson(ctx, repo, info),
    protected: false,
    required_approvals: 0,
    enable_status_check: false,
    status_check_contexts: [],
    user_can_push: Boolean(viewer),
    user_can_merge: Boolean(viewer),
    effective_branch_protection_name: '',
  };
}

/** Gitea's FileCommitResponse (the `commit` of a contents write). */
export function fileCommitJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  info: CommitInfo,
) {
  return {
    url: `${apiRepo(ctx, repo)}/git/commits/${info.sha}`,
    sha: info.sha,
    created: info.committer.date,
    html_url: `${htmlRepo(ctx, repo)}/commit/${info.sha}`,
    author: {
      name: info.author.name,
      email: info.author.email,
      date: info.author.date,
    },
    committer: {
      name: info.committer.name,
      email: info.committer.email,
      date: info.committer.date,
    },
    parents: info.parents.map(sha => ({
      url: `${apiRepo(ctx, repo)}/git/commits/${sha}`,
      sha,
    })),
    message: info.message,
    tree: {
      url: `${apiRepo(ctx, repo)}/git/trees/${info.tree}`,
      sha: info.tree,
    },
  };
}

/** Gitea's Commit (GET /git/commits/{sha}). */
export function commitJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  info: CommitInfo,
) {
  return {
    url: `${apiRepo(ctx, repo)}/git/commits/${info.sha}`,
    sha: info.sha,
    created: info.committer.date,
    html_url: `${htmlRepo(ctx, repo)}/commit/${info.sha}`,
    commit: {
      url: `${apiRepo(ctx, repo)}/git/commits/${info.sha}`,
      author: {
        name: info.author.name,
        email: info.author.email,
        date: info.author.date,
      },
      committer: {
        name: info.committer.name,
        email: info.committer.email,
        date: info.committer.date,
      },
      message: info.message,
      tree: {
        url: `${apiRepo(ctx, repo)}/git/trees/${info.tree}`,
        sha: info.tree,
      },
      verification: null,
    },
    author: null,
    committer: null,
    parents: info.parents.map(sha => ({
      url: `${apiRepo(ctx, repo)}/git/commits/${sha}`,
      sha,
    })),
  };
}

function contentType(entry: TreeEntry) {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

/** Gitea's ContentsResponse; `content` only for files read directly. */
export function contentsJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  ref: string,
  entry: TreeEntry,
  lastCommitSha: string,
  content?: Buffer,
) {
  const type = contentType(entry);
  const name = entry.path.split('/').pop() ?? '';
  const self = `${apiRepo(ctx, repo)}/contents/${encodePath(
    entry.path,
  )}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${apiRepo(ctx, repo)}/git/${
    type === 'dir' ? 'trees' : 'blobs'
  }/${entry.sha}`;
  const html = `${htmlRepo(ctx, repo)}/src/branch/${encodePath(
    ref,
  )}/${encodePath(entry.path)}`;
  return {
    name,
    path: entry.path,
    sha: entry.sha,
    last_commit_sha: lastCommitSha,
    type,
    size: entry.size,
    encoding: content ? 'base64' : null,
    content: content ? content.toString('base64') : null,
    target: null,
    url: self,
    html_url: html,
    git_url: gitUrl,
    download_url:
      type === 'file'
        ? `${htmlRepo(ctx, repo)}/raw/branch/${encodePath(ref)}/${encodePath(
            entry.path,
          )}`
        : null,
    submodule_git_url: null,
    _links: { self, git: gitUrl, html },
  };
}

export function labelJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  label: LabelRecord,
) {
  return {
    id: label.id,
    name: label.name,
    exclusive: false,
    is_archived: false,
    color: label.color,
    description: label.description,
    url: `${apiRepo(ctx, repo)}/labels/${label.id}`,
  };
}

export interface PullGitFacts {
  headSha: string;
  baseSha: string;
  mergeable: boolean;
  mergeBase: string;
  changedFiles: number;
}

export function pullJson(
  ctx: GitHostContext,
  repo: RepoRecord,
  pr: PullRecord,
  facts: PullGitFacts,
) {
  const html = `${htmlRepo(ctx, repo)}/pulls/${pr.number}`;
  const repoInfo = repoJson(ctx, repo, false);
  return {
    id: pr.id,
    url: html,
    number: pr.number,
    user: userJson(ctx, pr.user),
    title: pr.title,
    body: pr.body,
    labels: pr.labelIds
      .map(id => repo.labels.find(l => l.id === id))
      .filter((l): l is LabelRecord => Boolean(l))
      .map(l => labelJson(ctx, repo, l)),
    milestone: null,
    assignee: pr.assignees[0] ? userJson(ctx, pr.assignees[0]) : null,
    assignees: pr.assignees.map(a => userJson(ctx, a)),
    requested_reviewers: pr.requestedReviewers.map(r => userJson(ctx, r)),
    requested_reviewers_teams: pr.requestedTeams.map(t => ({ name: t })),
    state: pr.state,
    draft: false,
    is_locked: false,
    comments: pr.comments.length,
    additions: null,
    deletions: null,
    changed_files: facts.changedFiles,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    mergeable: pr.state === 'open' && facts.mergeable,
    merged: pr.merged,
    merged_at: pr.mergedAt ?? null,
    merge_commit_sha: pr.mergeCommitSha ?? null,
    merged_by: pr.mergedBy ? userJson(ctx, pr.mergedBy) : null,
    allow_maintainer_edit: false,
    base: {
      label: pr.baseBranch,
      ref: pr.baseBranch,
      sha: facts.baseSha,
      repo_id: repo.id,
      repo: repoInfo,
    },
    head: {
      label: pr.headBranch,
      ref: pr.headBranch,
      sha: facts.headSha,
      repo_id: repo.id,
      repo: repoInfo,
    },
    merge_base: facts.mergeBase,
    due_date: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt ?? null,
    pin_order: 0,
  };
}
