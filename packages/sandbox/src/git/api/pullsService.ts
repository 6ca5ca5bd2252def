import { GitIdentity, ZERO_SHA } from '../GitRepository';
import type { GitHostUser, PullRecord, RepoRecord } from '../state';
import { conflict, GiteaApiError, notFound, unprocessable } from './errors';
import { GitHostContext, PullGitFacts, pullJson } from './format';

export type MergeStyle = 'merge' | 'squash' | 'fast-forward-only';
export const MERGE_STYLES: MergeStyle[] = [
  'merge',
  'squash',
  'fast-forward-only',
];

const pullRef = (pr: PullRecord) => `refs/pull/${pr.number}/head`;

function identityOf(ctx: GitHostContext, login: string): GitIdentity {
  const user = ctx.state.findUser(login);
  return {
    name: user?.fullName || login,
    email: user?.email ?? `${login}@sankofa.local`,
  };
}

/**
 * Pull request logic: git facts (head sha, mergeability) are read live from
 * the repository, and Gitea keeps `refs/pull/<n>/head` so closed PRs keep
 * their head even after the branch is deleted; we do the same.
 */
export class PullsService {
  constructor(private readonly ctx: GitHostContext) {}

  private git(repo: RepoRecord) {
    return this.ctx.state.git(repo);
  }

  findPull(repo: RepoRecord, index: string | number): PullRecord {
    const n = Number(index);
    const pr = Number.isInteger(n)
      ? repo.pulls.find(p => p.number === n)
      : undefined;
    if (!pr) {
      throw notFound(
        `pull request does not exist [id: 0, issue_id: 0, head_repo_id: 0, base_repo_id: ${repo.id}, head_branch: , base_branch: ]`,
      );
    }
    return pr;
  }

  async pinnedHead(
    repo: RepoRecord,
    pr: PullRecord,
  ): Promise<string | undefined> {
    const { stdout, exitCode } = await this.git(repo).git(
      ['rev-parse', '--verify', '--quiet', pullRef(pr)],
      { okExitCodes: [1] },
    );
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  /** Keeps refs/pull/<n>/head at the branch head while the PR is open. */
  private async syncHead(repo: RepoRecord, pr: PullRecord): Promise<string> {
    const pinned = await this.pinnedHead(repo, pr);
    if (pr.state !== 'open') {
      return pinned ?? ZERO_SHA;
    }
    const live = await this.git(repo).branchSha(pr.headBranch);
    if (live && live !== pinned) {
      await this.git(repo).git(['update-ref', pullRef(pr), live]);
    }
    return live ?? pinned ?? ZERO_SHA;
  }

  async facts(repo: RepoRecord, pr: PullRecord): Promise<PullGitFacts> {
    const git = this.git(repo);
    const headSha = await this.syncHead(repo, pr);
    const baseSha = (await git.branchSha(pr.baseBranch)) ?? ZERO_SHA;
    if (pr.merged || headSha === ZERO_SHA || baseSha === ZERO_SHA) {
      return {
        headSha,
        baseSha,
        mergeable: false,
        mergeBase: pr.mergeBase ?? '',
        changedFiles:
          pr.mergeBase && headSha !== ZERO_SHA
            ? await git.changedFiles(pr.mergeBase, headSha)
            : 0,
      };
    }
    const merge = await git.mergeTrees(baseSha, headSha);
    return {
      headSha,
      baseSha,
      mergeable:
        merge.clean && (await git.branchSha(pr.headBranch)) !== undefined,
      mergeBase: (await git.mergeBase(baseSha, headSha)) ?? '',
      changedFiles: await git.changedFiles(baseSha, headSha),
    };
  }

  async toJson(repo: RepoRecord, pr: PullRecord) {
    return pullJson(this.ctx, repo, pr, await this.facts(repo, pr));
  }

  private openDuplicate(
    repo: RepoRecord,
    head: string,
    base: string,
    except?: number,
  ) {
    return repo.pulls.find(
      p =>
        p.state === 'open' &&
        p.headBranch === head &&
        p.baseBranch === base &&
        p.number !== except,
    );
  }

  private duplicateError(repo: RepoRecord, pr: PullRecord) {
    return conflict(
      `pull request already exists for these targets [id: ${pr.id}, issue_id: ${pr.id}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${pr.headBranch}, base_branch: ${pr.baseBranch}]`,
    );
  }

  resolveLabels(repo: RepoRecord, values: unknown[], field: string): number[] {
    return values.map((v, i) => {
      // Gitea takes label ids; names are accepted too for convenience.
      const label = repo.labels.find(
        l =>
          l.id === v ||
          (typeof v === 'string' && (l.name === v || String(l.id) === v)),
      );
      if (!label) {
        throw unprocessable(
          `[${field}[${i}]]: label does not exist [id: ${String(v)}]`,
        );
      }
      return label.id;
    });
  }

  resolveUsers(values: unknown[], field: string): string[] {
    return values.map((v, i) => {
      const user =
        typeof v === 'string' ? this.ctx.state.findUser(v) : undefined;
      if (!user) {
        throw unprocessable(
          `[${field}[${i}]]: user does not exist [name: ${String(v)}]`,
        );
      }
      return user.login;
    });
  }

  async create(
    repo: RepoRecord,
    actor: GitHostUser,
    input: {
      head: string;
      base: string;
      title: string;
      body: string;
      labels: unknown[];
      assignees: unknown[];
      reviewers: unknown[];
    },
  ): Promise<PullRecord> {
    // A same-repository head may be written `owner:branch` (GitHub style).
    const head = input.head.includes(':')
      ? input.head.split(':').slice(1).join(':')
      : input.head;
    const base = input.base;
    const labelIds = this.resolveLabels(repo, input.labels, 'labels');
    const assignees = this.resolveUsers(input.assignees, 'assignees');
    const reviewers = this.resolveUsers(input.reviewers, 'reviewers');
    return this.ctx.state.withRepoLock(repo, async () => {
      const git = this.git(repo);
      if (!(await git.branchSha(base)) || !(await git.branchSha(head))) {
        throw notFound("The target couldn't be found.");
      }
      if (head === base) {
        throw unprocessable(
          'Invalid PullRequest: There are no changes between the head and the base',
        );
      }
      const duplicate = this.openDuplicate(repo, head, base);
      if (duplicate) {
        throw this.duplicateError(repo, duplicate);
      }
      const now = new Date().toISOString();
      const pr: PullRecord = {
        id: this.ctx.state.nextId(),
        number: repo.nextIndex++,
        title: input.title,
        body: input.body,
        state: 'open',
        user: actor.login,
        headBranch: head,
        baseBranch: base,
        labelIds,
        assignees,
        requestedReviewers: reviewers,
        requestedTeams: [],
        createdAt: now,
        updatedAt: now,
        merged: false,
        comments: [],
      };
      repo.pulls.push(pr);
      repo.updatedAt = now;
      this.ctx.state.save();
      await this.syncHead(repo, pr);
      return pr;
    });
  }

  async edit(
    repo: RepoRecord,
    pr: PullRecord,
    changes: {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      base?: string;
      labels?: unknown[];
      assignees?: unknown[];
    },
  ) {
    const labelIds =
      changes.labels && this.resolveLabels(repo, changes.labels, 'labels');
    const assignees =
      changes.assignees && this.resolveUsers(changes.assignees, 'assignees');
    await this.ctx.state.withRepoLock(repo, async () => {
      const base = changes.base ?? pr.baseBranch;
      if (changes.base && changes.base !== pr.baseBranch) {
        if (pr.merged) {
          throw conflict('cannot change base of a merged pull request');
        }
        if (!(await this.git(repo).branchSha(changes.base))) {
          throw notFound(`branch does not exist [name: ${changes.base}]`);
        }
      }
      const state = changes.state ?? pr.state;
      if (changes.state && changes.state !== pr.state) {
        if (pr.merged) {
          throw conflict(
            'cannot change state of this pull request, it was already merged',
          );
        }
      }
      if (state === 'open') {
        const duplicate = this.openDuplicate(
          repo,
          pr.headBranch,
          base,
          pr.number,
        );
        if (duplicate) {
          throw this.duplicateError(repo, duplicate);
        }
      }
      if (state === 'closed' && pr.state === 'open') {
        // Pin the head before closing so the PR keeps its commits.
        await this.syncHead(repo, pr);
      }
      const now = new Date().toISOString();
      if (state !== pr.state) {
        pr.closedAt = state === 'closed' ? now : undefined;
      }
      pr.state = state;
      pr.baseBranch = base;
      pr.title = changes.title ?? pr.title;
      pr.body = changes.body ?? pr.body;
      pr.labelIds = labelIds ?? pr.labelIds;
      pr.assignees = assignees ?? pr.assignees;
      pr.updatedAt = now;
      this.ctx.state.save();
    });
  }

  async merge(
    repo: RepoRecord,
    pr: PullRecord,
    actor: GitHostUser,
    options: {
      style: MergeStyle;
      title?: string;
      message?: string;
      headCommitId?: string;
      deleteBranch?: boolean;
    },
  ) {
    await this.ctx.state.withRepoLock(repo, async () => {
      if (pr.merged) {
        throw new GiteaApiError(405, 'The PR is already merged');
      }
      if (pr.state !== 'open') {
        throw new GiteaApiError(405, 'The PR is closed and cannot be merged');
      }
      const git = this.git(repo);
      const headSha = await git.branchSha(pr.headBranch);
      const baseSha = await git.branchSha(pr.baseBranch);
      if (!headSha || !baseSha) {
        throw new GiteaApiError(
          405,
          'The head or base branch of this PR no longer exists',
        );
      }
      if (options.headCommitId && options.headCommitId !== headSha) {
        throw conflict('head out of date');
      }
      const merge = await git.mergeTrees(baseSha, headSha);
      if (!merge.clean) {
        throw new GiteaApiError(
          405,
          `Merge Conflicts: ${
            merge.conflicts.join(', ') || 'the branches cannot be merged'
          }`,
        );
      }
      const doer = identityOf(this.ctx, actor.login);
      let mergedSha: string;
      if (options.style === 'fast-forward-only') {
        if (!(await git.isAncestor(baseSha, headSha))) {
          throw new GiteaApiError(
            405,
            'Not possible to fast-forward: base has diverged',
          );
        }
        mergedSha = headSha;
      } else if (options.style === 'squash') {
        const title = options.title || `${pr.title} (#${pr.number})`;
        mergedSha = await git.commitTree(
          merge.tree,
          [baseSha],
          options.message ? `${title}\n\n${options.message}` : title,
          identityOf(this.ctx, pr.user),
          doer,
        );
      } else {
        const title =
          options.title ||
          `Merge pull request '${pr.title}' (#${pr.number}) from ${pr.headBranch} into ${pr.baseBranch}`;
        mergedSha = await git.commitTree(
          merge.tree,
          [baseSha, headSha],
          options.message ? `${title}\n\n${options.message}` : title,
          doer,
        );
      }
      try {
        await git.updateBranch(pr.baseBranch, mergedSha, baseSha);
      } catch {
        throw conflict('base branch was updated concurrently, retry the merge');
      }
      await git.git(['update-ref', pullRef(pr), headSha]);
      const now = new Date().toISOString();
      pr.mergeBase = (await git.mergeBase(baseSha, headSha)) ?? baseSha;
      pr.merged = true;
      pr.mergedAt = now;
      pr.mergedBy = actor.login;
      pr.mergeCommitSha = mergedSha;
      pr.state = 'closed';
      pr.closedAt = now;
      pr.updatedAt = now;
      repo.updatedAt = now;
      this.ctx.state.save();
      const stillUsed = repo.pulls.some(
        p => p.state === 'open' && p.headBranch === pr.headBranch,
      );
      if (
        options.deleteBranch &&
        pr.headBranch !== repo.defaultBranch &&
        !stillUsed
      ) {
        await git.deleteBranch(pr.headBranch, headSha).catch(() => undefined);
      }
    });
  }

  /** The PR's change as a unified diff against the merge base. */
  async diff(repo: RepoRecord, pr: PullRecord, kind: 'diff' | 'patch') {
    const facts = await this.facts(repo, pr);
    const git = this.git(repo);
    const from = pr.merged && pr.mergeBase ? pr.mergeBase : facts.baseSha;
    if (facts.headSha === ZERO_SHA || from === ZERO_SHA) {
      return '';
    }
    if (kind === 'patch') {
      const base = (await git.mergeBase(from, facts.headSha)) ?? from;
      return git.formatPatch(base, facts.headSha);
    }
    return git.diff(from, facts.headSha);
  }
}
