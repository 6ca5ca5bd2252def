import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyClaimRef } from '@sankofa/plugin-sankofa-common';
import { GitopsRepoReader } from '../gitops/GitopsRepoReader';
import { locateVm, vmPaths } from '../gitops/vmFiles';
import { catalogLocation, kustomization } from '../render/manifests';
import { requestDetails } from './details';
import type { VmActionOptions } from './vmCreate';
import { examples } from './vmDelete.examples';
import { sourceRoot, writeRepoFiles } from './workspace';
import { vmChangeOutputs, vmRefInput } from './schema';

/**
 * `sankofa:vm:delete`: decommissions a VM: its claim and catalog entity are removed and the
 * kustomization and catalog location stop listing them; everything else stays unchanged.
 */
export function createVmDeleteAction(options: VmActionOptions) {
  const { settings, reader, integrations } = options;
  return createTemplateAction({
    id: 'sankofa:vm:delete',
    description:
      'Decommissions a Sankofa VM: removes its claim and catalog entity and updates the kustomization and catalog location (rendered into the workspace).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        vm: vmRefInput,
        confirmName: z =>
          z
            .string()
            .optional()
            .describe(
              'When given, must equal the VM name (a typed confirmation)',
            ),
        targetPath: z => z.string().optional(),
      },
      output: {
        ...vmChangeOutputs,
      },
    },
    async handler(ctx) {
      const root = sourceRoot(ctx.workspacePath, ctx.input.targetPath);
      const repo = new GitopsRepoReader(
        reader,
        integrations,
        settings.gitops.repoUrl,
        settings.gitops.targetBranch,
        options.retry,
      );
      const vm = await locateVm(repo, settings, ctx.input.vm);
      if (
        ctx.input.confirmName !== undefined &&
        ctx.input.confirmName !== vm.name
      ) {
        throw new InputError(
          `confirmName: must be "${vm.name}" to decommission it`,
        );
      }
      const paths = vmPaths(settings, vm);
      const [kustomizationText, catalogInfoText, entityText] =
        await Promise.all([
          repo.read(paths.kustomizationPath),
          repo.read(paths.catalogInfoPath),
          repo.read(paths.entityPath),
        ]);
      const files: Record<string, string> = {};
      const k = kustomization.remove(
        kustomizationText ?? '',
        paths.kustomizationPath,
        paths.kustomizationEntry,
      );
      if (k.changed) files[paths.kustomizationPath] = k.text;
      if (catalogInfoText !== undefined) {
        const c = catalogLocation.remove(
          catalogInfoText,
          paths.catalogInfoPath,
          paths.catalogTarget,
        );
        if (c.changed) files[paths.catalogInfoPath] = c.text;
      }
      await writeRepoFiles(root, files);
      const removed = [
        paths.claimPath,
        ...(entityText !== undefined ? [paths.entityPath] : []),
      ];

      ctx.output('files', Object.keys(files));
      ctx.output('removedFiles', removed);
      ctx.output('claimRef', stringifyClaimRef(vm));
      ctx.output('entityRef', `resource:${vm.namespace}/${vm.name}`);
      ctx.output('branchName', `sankofa/delete/${vm.namespace}/${vm.name}`);
      ctx.output('title', `Decommission VM ${vm.namespace}/${vm.name}`);
      ctx.output(
        'details',
        requestDetails({
          Operation: 'delete',
          VM: `${vm.namespace}/${vm.name}`,
          Cluster: vm.cluster,
          Removes: removed.join(', '),
          'Requested by': ctx.user?.ref ?? 'unknown',
        }),
      );
    },
  });
}
