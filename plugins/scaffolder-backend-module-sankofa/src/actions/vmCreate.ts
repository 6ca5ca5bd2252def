import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  checkQuota,
  formatIssues,
  quotaFor,
  stringifyClaimRef,
  validateVmRequest,
} from '@sankofa/plugin-sankofa-common';
import { SankofaSettings } from '../config';
import { RetryOptions } from '../providers/retry';
import { GitopsRepoReader } from '../gitops/GitopsRepoReader';
import { groupUsage, vmPaths } from '../gitops/vmFiles';
import {
  catalogLocation,
  kustomization,
  renderClaim,
  renderEntity,
} from '../render/manifests';
import { examples } from './vmCreate.examples';
import { sourceRoot, writeRepoFiles } from './workspace';
import { portalEntityUrl, requestDetails } from './details';
import { vmChangeOutputs } from './schema';

export interface VmActionOptions {
  settings: SankofaSettings;
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
  /** Backoff for rate-limited reads; defaults suit production. */
  retry?: RetryOptions;
}

/**
 * `sankofa:vm:create`: validates a VM request against `sankofa.sites` and the owner group's
 * quota, then renders the claim, the kustomization entry and the catalog entity into the
 * workspace for `sankofa:gitops:pullRequest`.
 */
export function createVmCreateAction(options: VmActionOptions) {
  const { settings, reader, integrations } = options;
  return createTemplateAction({
    id: 'sankofa:vm:create',
    description:
      'Validates a virtual machine request against the Sankofa site policy and renders its Crossplane claim, kustomization entry and catalog entity into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe('VM name (DNS-1123 label, at most 63 characters)'),
        owner: z =>
          z
            .string()
            .describe(
              'Owner group: team-alpha or group:default/team-alpha; also the claim namespace',
            ),
        site: z => z.string().describe('Proxmox site from sankofa.sites'),
        node: z =>
          z
            .string()
            .optional()
            .describe('Proxmox node; the site places the VM when absent'),
        image: z => z.string().describe('Cloud image offered by the site'),
        sizeClass: z =>
          z
            .string()
            .optional()
            .describe(
              'Size class of the site, or "custom" with cpu, memoryMiB and diskGiB',
            ),
        cpu: z => z.number().optional().describe('CPU cores (custom size)'),
        memoryMiB: z =>
          z.number().optional().describe('Memory in MiB (custom size)'),
        diskGiB: z =>
          z.number().optional().describe('Disk in GiB (custom size)'),
        network: z =>
          z
            .object({ bridge: z.string(), vlan: z.number().optional() })
            .describe('Bridge and optional VLAN tag allowed on the site'),
        sshKeys: z => z.array(z.string()).describe('OpenSSH public keys'),
        userData: z =>
          z
            .string()
            .optional()
            .describe(
              'Cloud-init user data (#cloud-config or #! script, at most 64 KiB)',
            ),
        powerState: z =>
          z
            .enum(['Running', 'Stopped'])
            .optional()
            .describe('Desired power state; default Running'),
        description: z =>
          z.string().optional().describe('One line for the catalog entity'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory mirroring the GitOps repository; default "gitops"',
            ),
      },
      output: {
        ...vmChangeOutputs,
        claimPath: z => z.string(),
        kustomizationPath: z => z.string(),
        entityPath: z => z.string(),
        catalogInfoPath: z => z.string(),
        entityUrl: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { targetPath, ...request } = ctx.input;
      const root = sourceRoot(ctx.workspacePath, targetPath);
      const result = validateVmRequest(request, settings.sites);
      if (!result.ok) {
        throw new InputError(
          `Invalid VM request: ${formatIssues(result.issues)}`,
        );
      }
      const { name, owner, site, spec, description } = result.value;
      const vm = { cluster: site.cluster, namespace: owner, name };
      const paths = vmPaths(settings, vm);
      const repo = new GitopsRepoReader(
        reader,
        integrations,
        settings.gitops.repoUrl,
        settings.gitops.targetBranch,
        options.retry,
      );

      const [existingClaim, kustomizationText, catalogInfoText, usage] =
        await Promise.all([
          repo.read(paths.claimPath),
          repo.read(paths.kustomizationPath),
          repo.read(paths.catalogInfoPath),
          groupUsage(repo, settings, {
            cluster: site.cluster,
            group: owner,
            site: site.name,
          }),
        ]);
      if (existingClaim !== undefined) {
        throw new InputError(
          `name: a VM ${owner}/${name} already exists on cluster ${site.cluster} (${paths.claimPath})`,
        );
      }
      const quotaIssues = checkQuota(
        quotaFor(site, owner),
        owner,
        site.name,
        usage,
        spec,
      );
      if (quotaIssues.length > 0) {
        throw new InputError(
          `VM request exceeds quota: ${formatIssues(quotaIssues)}`,
        );
      }

      const files = {
        [paths.claimPath]: renderClaim(settings.claim, vm, spec),
        [paths.kustomizationPath]: kustomization.add(
          kustomizationText,
          paths.kustomizationPath,
          paths.kustomizationEntry,
        ).text,
        [paths.entityPath]: renderEntity(vm, spec, description),
        [paths.catalogInfoPath]: catalogLocation.add(
          catalogInfoText,
          paths.catalogInfoPath,
          paths.catalogTarget,
        ).text,
      };
      await writeRepoFiles(root, files);
      ctx.logger.info(
        `Rendered VM ${owner}/${name} for site ${site.name} into ${Object.keys(
          files,
        ).join(', ')}`,
      );

      const entityRef = `resource:${owner}/${name}`;
      const entityUrl = portalEntityUrl(settings, owner, name);
      ctx.output('claimPath', paths.claimPath);
      ctx.output('kustomizationPath', paths.kustomizationPath);
      ctx.output('entityPath', paths.entityPath);
      ctx.output('catalogInfoPath', paths.catalogInfoPath);
      ctx.output('files', Object.keys(files));
      ctx.output('removedFiles', []);
      ctx.output('claimRef', stringifyClaimRef(vm));
      ctx.output('entityRef', entityRef);
      if (entityUrl) ctx.output('entityUrl', entityUrl);
      ctx.output('branchName', `sankofa/create/${owner}/${name}`);
      ctx.output('title', `Request VM ${owner}/${name} on ${site.name}`);
      ctx.output(
        'details',
        requestDetails({
          Operation: 'create',
          VM: `${owner}/${name}`,
          Site: site.name,
          Cluster: site.cluster,
          Node: spec.node ?? '(placed by the site)',
          Image: spec.image,
          Size: `${spec.sizeClass}: ${spec.cpu} CPU, ${spec.memoryMiB} MiB, ${spec.diskGiB} GiB`,
          Network: `${spec.network.bridge}${
            spec.network.vlan !== undefined ? ` VLAN ${spec.network.vlan}` : ''
          }`,
          'SSH keys': String(spec.sshKeys.length),
          'User data': spec.userData
            ? `${spec.userData.length} characters`
            : 'none',
          Power: spec.powerState,
          'Requested by': ctx.user?.ref ?? 'unknown',
        }),
      );
    },
  });
}
