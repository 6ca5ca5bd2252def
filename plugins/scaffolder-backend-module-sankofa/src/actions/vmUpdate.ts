import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  VmRequestIssue,
  checkQuota,
  formatIssues,
  quotaFor,
  resolveSize,
  stringifyClaimRef,
} from '@sankofa/plugin-sankofa-common';
import { GitopsRepoReader } from '../gitops/GitopsRepoReader';
import { groupUsage, locateVm, vmPaths } from '../gitops/vmFiles';
import { parseClaim } from '../render/manifests';
import { portalEntityUrl, requestDetails } from './details';
import type { VmActionOptions } from './vmCreate';
import { examples } from './vmUpdate.examples';
import { sourceRoot, writeRepoFiles } from './workspace';
import { vmChangeOutputs, vmRefInput } from './schema';

/**
 * `sankofa:vm:update`: resizes a VM or changes its power state by editing only those fields of
 * its claim as it is on the target branch (comments and other fields stay as they are).
 */
export function createVmUpdateAction(options: VmActionOptions) {
  const { settings, reader, integrations } = options;
  return createTemplateAction({
    id: 'sankofa:vm:update',
    description:
      'Resizes a Sankofa VM or changes its power state by editing its claim in the GitOps repository (rendered into the workspace).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        vm: vmRefInput,
        sizeClass: z =>
          z
            .string()
            .optional()
            .describe(
              'New size class, or "custom" with cpu, memoryMiB and diskGiB',
            ),
        cpu: z => z.number().optional(),
        memoryMiB: z => z.number().optional(),
        diskGiB: z => z.number().optional(),
        powerState: z => z.enum(['Running', 'Stopped']).optional(),
        targetPath: z => z.string().optional(),
      },
      output: {
        ...vmChangeOutputs,
        claimPath: z => z.string(),
        changes: z => z.array(z.string()),
        entityUrl: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { vm: vmInput, targetPath, powerState, ...size } = ctx.input;
      const root = sourceRoot(ctx.workspacePath, targetPath);
      const resizing = Object.values(size).some(
        v => v !== undefined && v !== '',
      );
      if (!resizing && powerState === undefined) {
        throw new InputError(
          'Nothing to change: give sizeClass, cpu/memoryMiB/diskGiB or powerState',
        );
      }
      if (
        powerState !== undefined &&
        !['Running', 'Stopped'].includes(powerState)
      ) {
        throw new InputError('powerState: must be Running or Stopped');
      }
      const repo = new GitopsRepoReader(
        reader,
        integrations,
        settings.gitops.repoUrl,
        settings.gitops.targetBranch,
        options.retry,
      );
      const vm = await locateVm(repo, settings, vmInput);
      const paths = vmPaths(settings, vm);
      const text = await repo.read(paths.claimPath);
      if (text === undefined) {
        throw new InputError(`vm: the claim ${paths.claimPath} does not exist`);
      }
      const doc = parseClaim(text, paths.claimPath);
      const current = doc.toJS()?.spec ?? {};
      const site = settings.sites.find(s => s.name === current.site);
      if (!site) {
        throw new InputError(
          `vm: its site "${current.site}" is not in sankofa.sites`,
        );
      }

      const changes: string[] = [];
      const set = (key: string, value: unknown) => {
        if (current[key] !== value) {
          changes.push(`${key}: ${current[key]} → ${value}`);
          doc.setIn(['spec', key], value);
        }
      };
      if (resizing) {
        const issues: VmRequestIssue[] = [];
        const resolved = resolveSize(site, size, issues);
        if (resolved && resolved.diskGiB < Number(current.diskGiB)) {
          issues.push({
            field: 'diskGiB',
            rule: `cannot shrink from ${current.diskGiB} to ${resolved.diskGiB} GiB; Proxmox disks only grow`,
          });
        }
        if (!resolved || issues.length > 0) {
          throw new InputError(`Invalid resize: ${formatIssues(issues)}`);
        }
        const usage = await groupUsage(repo, settings, {
          cluster: vm.cluster,
          group: vm.namespace,
          site: site.name,
          except: paths.kustomizationEntry,
        });
        const quotaIssues = checkQuota(
          quotaFor(site, vm.namespace),
          vm.namespace,
          site.name,
          usage,
          resolved,
        ).filter(i => i.field !== 'owner');
        if (quotaIssues.length > 0) {
          throw new InputError(
            `Resize exceeds quota: ${formatIssues(quotaIssues)}`,
          );
        }
        set('sizeClass', resolved.sizeClass);
        set('cpu', resolved.cpu);
        set('memoryMiB', resolved.memoryMiB);
        set('diskGiB', resolved.diskGiB);
      }
      if (powerState !== undefined) set('powerState', powerState);
      if (changes.length === 0) {
        throw new InputError(
          `Nothing to change: ${vm.namespace}/${vm.name} already has these values`,
        );
      }
      await writeRepoFiles(root, {
        [paths.claimPath]: doc.toString({ lineWidth: 0 }),
      });

      const power = powerState === 'Running' ? 'on' : 'off';
      let what = `Power ${power}`;
      if (resizing) what = powerState ? 'Resize and power' : 'Resize';
      const op = resizing ? 'resize' : 'power';
      const entityUrl = portalEntityUrl(settings, vm.namespace, vm.name);
      ctx.output('claimPath', paths.claimPath);
      ctx.output('files', [paths.claimPath]);
      ctx.output('removedFiles', []);
      ctx.output('changes', changes);
      ctx.output('claimRef', stringifyClaimRef(vm));
      ctx.output('entityRef', `resource:${vm.namespace}/${vm.name}`);
      if (entityUrl) ctx.output('entityUrl', entityUrl);
      ctx.output('branchName', `sankofa/${op}/${vm.namespace}/${vm.name}`);
      ctx.output('title', `${what} VM ${vm.namespace}/${vm.name}`);
      ctx.output(
        'details',
        requestDetails({
          Operation: op,
          VM: `${vm.namespace}/${vm.name}`,
          Site: site.name,
          Cluster: vm.cluster,
          Changes: changes.join('; '),
          'Requested by': ctx.user?.ref ?? 'unknown',
        }),
      );
    },
  });
}
