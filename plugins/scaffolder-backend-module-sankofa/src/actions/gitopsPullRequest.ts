import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { SankofaSettings } from '../config';
import {
  prepareBranch,
  pushBranch,
  readChangeFiles,
} from '../gitops/branchWriter';
import { createGitHostProvider } from '../providers';
import { RetryOptions } from '../providers/retry';
import { normalizeRepoPath } from '../render/paths';
import { examples } from './gitopsPullRequest.examples';
import { renderPullRequestBody } from './prBody';
import { sourceRoot } from './workspace';

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

/** Why `name` cannot be a branch we create, or undefined (git check-ref-format, simplified). */
function branchProblem(name: string): string | undefined {
  if (
    !BRANCH.test(name) ||
    name.includes('..') ||
    name.includes('//') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('/.')
  ) {
    return 'must be a git branch name of letters, digits, ".", "_", "-" and "/" segments';
  }
  return undefined;
}

/**
 * `sankofa:gitops:pullRequest`: commits the workspace's changes to a branch named by the request
 * and opens (or updates) one pull request on GitHub, GitLab or Gitea. Safe to retry: the branch
 * and the open PR are found and updated, never duplicated.
 */
export function createGitopsPullRequestAction(options: {
  settings: SankofaSettings;
  integrations: ScmIntegrationRegistry;
  retry?: RetryOptions;
}) {
  const { settings, integrations } = options;
  return createTemplateAction({
    id: 'sankofa:gitops:pullRequest',
    description:
      'Commits the rendered GitOps changes to a deterministic branch and opens or updates a single pull request on GitHub, GitLab or Gitea/Forgejo.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe('Repository URL; default sankofa.gitops.repoUrl'),
        targetBranch: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch to merge into; default sankofa.gitops.targetBranch',
            ),
        branchName: z =>
          z
            .string()
            .describe(
              'Branch for the change; the same request must give the same name',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory mirroring the repository; default "gitops"',
            ),
        removePaths: z =>
          z.array(z.string()).optional().describe('Repository paths to delete'),
        title: z => z.string().describe('Pull request title'),
        description: z =>
          z
            .string()
            .optional()
            .describe('Markdown placed above the request table'),
        details: z =>
          z
            .record(z.string(), z.any())
            .optional()
            .describe('Request facts shown as a table'),
        entityUrl: z =>
          z
            .string()
            .optional()
            .describe('Link back to the portal page of the VM'),
        labels: z =>
          z
            .array(z.string())
            .optional()
            .describe('Labels; default sankofa.gitops.labels'),
        reviewers: z =>
          z
            .array(z.string())
            .optional()
            .describe('Reviewers; default sankofa.gitops.reviewers'),
        commitMessage: z =>
          z.string().optional().describe('Commit message; default the title'),
        draft: z => z.boolean().optional().describe('Open as a draft'),
      },
      output: {
        pullRequestUrl: z => z.string().optional(),
        pullRequestNumber: z => z.number().optional(),
        branchName: z => z.string(),
        commitSha: z => z.string().optional(),
        created: z => z.boolean(),
        updated: z => z.boolean(),
        changedFiles: z => z.array(z.string()),
        diff: z => z.string(),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const repoUrl = input.repoUrl || settings.gitops.repoUrl;
      if (!repoUrl) {
        throw new InputError(
          'repoUrl: required when sankofa.gitops.repoUrl is not configured',
        );
      }
      const targetBranch = input.targetBranch || settings.gitops.targetBranch;
      for (const [field, value] of [
        ['branchName', input.branchName],
        ['targetBranch', targetBranch],
      ] as const) {
        const problem = branchProblem(value);
        if (problem) throw new InputError(`${field}: "${value}" ${problem}`);
      }
      if (input.branchName === targetBranch) {
        throw new InputError('branchName: must differ from the target branch');
      }
      if (
        !input.title.trim() ||
        /[\r\n]/.test(input.title) ||
        input.title.length > 250
      ) {
        throw new InputError(
          'title: must be one non-empty line of at most 250 characters',
        );
      }
      if (input.entityUrl && !/^https?:\/\//.test(input.entityUrl)) {
        throw new InputError('entityUrl: must be an http(s) URL');
      }
      const removals = (input.removePaths ?? []).map(p =>
        normalizeRepoPath(p, 'removePaths'),
      );
      const files = await readChangeFiles(
        sourceRoot(ctx.workspacePath, input.sourcePath),
      );
      for (const p of Object.keys(files)) normalizeRepoPath(p, 'sourcePath');
      if (Object.keys(files).length === 0 && removals.length === 0) {
        throw new InputError(
          'sourcePath: no files to commit and no removePaths; run sankofa:vm:* first',
        );
      }

      const provider = createGitHostProvider({
        repoUrl,
        integrations,
        logger: ctx.logger,
        retry: options.retry,
      });
      const auth = await provider.gitCredentials();
      const branch = input.branchName;
      const content = {
        title: input.title,
        body: renderPullRequestBody({
          description: input.description,
          details: input.details,
          entityUrl: input.entityUrl,
          taskUrl: settings.portalBaseUrl
            ? `${settings.portalBaseUrl.replace(/\/+$/, '')}/create/tasks/${
                ctx.task.id
              }`
            : undefined,
          branch,
        }),
        labels: input.labels ?? settings.gitops.labels,
        reviewers: input.reviewers ?? settings.gitops.reviewers,
        draft: input.draft,
      };

      const dir = await ctx.createTemporaryDirectory();
      const prepared = await prepareBranch({
        dir,
        url: provider.cloneUrl,
        auth,
        targetBranch,
        branch,
        changes: { files, removals },
        message: input.commitMessage || input.title,
        author: settings.gitops.author,
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output('branchName', branch);
      ctx.output('changedFiles', prepared.changedPaths);
      ctx.output('diff', prepared.diff);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would commit ${prepared.changedPaths.length} file(s) to ${branch} and open a pull request into ${targetBranch}`,
        );
        ctx.output('created', false);
        ctx.output('updated', false);
        return;
      }

      if (prepared.changedPaths.length === 0) {
        // Already merged (or never needed): report the PR that did it, if any.
        const latest = await provider.findLatestPullRequest(
          branch,
          targetBranch,
        );
        if (!latest) {
          throw new InputError(
            `The workspace matches ${targetBranch}; there is nothing to propose`,
          );
        }
        ctx.logger.info(
          `Nothing to change; pull request ${latest.url} is ${latest.state}`,
        );
        ctx.output('pullRequestUrl', latest.url);
        ctx.output('pullRequestNumber', latest.number);
        ctx.output('created', false);
        ctx.output('updated', false);
        return;
      }

      // Each step is checkpointed: a recovered task reuses what an earlier attempt finished.
      const pushed = await ctx.checkpoint({
        key: `sankofa.push.${branch}`,
        fn: async () => {
          if (!prepared.upToDate) {
            await pushBranch({
              dir,
              url: provider.cloneUrl,
              auth,
              targetBranch,
              branch,
            });
            ctx.logger.info(
              `${
                prepared.branchExisted ? 'Updated' : 'Created'
              } branch ${branch} at ${prepared.commitSha}`,
            );
          } else {
            ctx.logger.info(`Branch ${branch} already holds this change`);
          }
          return {
            commitSha: prepared.commitSha ?? '',
            changed: !prepared.upToDate,
          };
        },
      });
      const pr = await ctx.checkpoint({
        key: `sankofa.pullRequest.${branch}`,
        fn: async () => {
          const open = await provider.findOpenPullRequest(branch, targetBranch);
          if (open) {
            const updated = await provider.updatePullRequest(open, content);
            ctx.logger.info(`Updated pull request ${updated.url}`);
            return { url: updated.url, number: updated.number, created: false };
          }
          const created = await provider.createPullRequest(
            branch,
            targetBranch,
            content,
          );
          ctx.logger.info(`Opened pull request ${created.url}`);
          return { url: created.url, number: created.number, created: true };
        },
      });
      ctx.output('commitSha', pushed.commitSha);
      ctx.output('pullRequestUrl', pr.url);
      ctx.output('pullRequestNumber', pr.number);
      ctx.output('created', pr.created);
      ctx.output('updated', !pr.created && pushed.changed);
    },
  });
}
