import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ANNOTATION_PULL_REQUEST } from '@sankofa/plugin-sankofa-common';
import { SankofaSettings } from '../config';
import {
  amendBranch,
  prepareBranch,
  pushBranch,
  readChangeFiles,
} from '../gitops/branchWriter';
import { createGitHostProvider } from '../providers';
import { RetryOptions } from '../providers/retry';
import { normalizeRepoPath } from '../render/paths';
import { annotateVmEntities } from '../render/pullRequestAnnotation';
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
 * and opens (or updates) one pull request on GitHub, GitLab or Gitea. The VM entity in the change
 * gets the PR's URL (sankofa.io/pull-request) on the same branch. Safe to retry: the branch and
 * the open PR are found and updated, never duplicated.
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

      // The VM entity names its PR (sankofa.io/pull-request). A PR found now lets a retried task
      // rebuild exactly the tree it pushed before; a new PR's URL is added once it exists.
      const known = await provider.findLatestPullRequest(branch, targetBranch);
      const proposed = known
        ? { ...files, ...annotateVmEntities(files, known.url) }
        : files;
      const dir = await ctx.createTemporaryDirectory();
      const prepared = await prepareBranch({
        dir,
        url: provider.cloneUrl,
        auth,
        targetBranch,
        branch,
        changes: { files: proposed, removals },
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
        // Without a PR there is no URL yet; say where it will go rather than invent one.
        const entities = known
          ? []
          : Object.keys(annotateVmEntities(files, 'about:blank'));
        if (entities.length > 0) {
          ctx.logger.info(
            `Dry run: ${entities.join(
              ', ',
            )} would also get ${ANNOTATION_PULL_REQUEST} set to the new pull request's URL`,
          );
        }
        ctx.output('created', false);
        ctx.output('updated', false);
        return;
      }

      if (prepared.changedPaths.length === 0) {
        // Already merged (or never needed): report the PR that did it, if any.
        if (!known) {
          throw new InputError(
            `The workspace matches ${targetBranch}; there is nothing to propose`,
          );
        }
        ctx.logger.info(
          `Nothing to change; pull request ${known.url} is ${known.state}`,
        );
        ctx.output('pullRequestUrl', known.url);
        ctx.output('pullRequestNumber', known.number);
        ctx.output('created', false);
        ctx.output('updated', false);
        return;
      }

      // Each step is checkpointed: a recovered task reuses what an earlier attempt finished.
      // Whether the remote branch holds the prepared tree: it did already, or we push it now.
      let branchCurrent = prepared.upToDate;
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
            branchCurrent = true;
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
          if (known?.state === 'open') {
            const updated = await provider.updatePullRequest(known, content);
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
      const annotated = await ctx.checkpoint({
        key: `sankofa.annotate.${branch}`,
        fn: async () => {
          const entities = annotateVmEntities(proposed, pr.url);
          const paths = Object.keys(entities);
          if (paths.length === 0 && branchCurrent) {
            return { commitSha: pushed.commitSha, changed: false };
          }
          // With no entity to change we still push when a recovered task replayed an earlier
          // attempt's push: the branch may hold another tree than the one prepared now.
          const commitSha =
            paths.length > 0
              ? await amendBranch({
                  dir,
                  files: entities,
                  author: settings.gitops.author,
                })
              : prepared.commitSha ?? '';
          await pushBranch({
            dir,
            url: provider.cloneUrl,
            auth,
            targetBranch,
            branch,
          });
          ctx.logger.info(
            paths.length > 0
              ? `Recorded ${pr.url} in ${paths.join(
                  ', ',
                )}; ${branch} at ${commitSha}`
              : `Updated branch ${branch} at ${commitSha}`,
          );
          return { commitSha, changed: true };
        },
      });
      ctx.output('commitSha', annotated.commitSha);
      ctx.output('pullRequestUrl', pr.url);
      ctx.output('pullRequestNumber', pr.number);
      ctx.output('created', pr.created);
      ctx.output(
        'updated',
        !pr.created && (pushed.changed || annotated.changed),
      );
    },
  });
}
