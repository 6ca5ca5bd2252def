import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { VmStatusService } from './status/VmStatusService';

/**
 * `get-vm-status`: the status document for agents ("why is my VM not ready"). Read-only; runs
 * with the caller's credentials, so the same catalog visibility and `sankofa.vm.read` check apply.
 */
export function registerStatusAction(
  registry: ActionsRegistryService,
  statusService: VmStatusService,
) {
  registry.register({
    name: 'get-vm-status',
    title: 'Get VM status',
    description:
      'Explains the state of a Sankofa virtual machine: its overall state (Pending, Creating, Ready, Failed, Deleting, Unknown), the single root cause when it is not ready (the deepest failing Crossplane or Proxmox condition with its message), the Proxmox node, VM id and IPs, the ArgoCD sync state and the provisioning timeline. Use it to answer "why is my VM not ready".',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Catalog entity ref of the VM, e.g. resource:team-alpha/web-1',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          state: z.string(),
          synced: z.string(),
          ready: z.string(),
          rootCause: z
            .object({
              resource: z.string().describe('kind/name of the failing object'),
              role: z.string(),
              conditionType: z.string(),
              reason: z.string(),
              message: z.string(),
              since: z.string().optional(),
            })
            .optional(),
          proxmox: z
            .object({
              site: z.string().optional(),
              node: z.string().optional(),
              vmId: z.number().optional(),
              started: z.boolean().optional(),
              ipv4: z.array(z.string()),
            })
            .optional(),
          argocd: z
            .object({
              sync: z.string().optional(),
              health: z.string().optional(),
              revision: z.string().optional(),
            })
            .optional(),
          stale: z
            .boolean()
            .describe(
              'True when the cluster is unreachable and data may be old',
            ),
          timeline: z.array(
            z.object({
              step: z.string(),
              status: z.string(),
              at: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const doc = await statusService.getStatus(input.entityRef, credentials);
      const cause = doc.rollup.rootCause;
      return {
        output: {
          entityRef: doc.entityRef,
          state: doc.rollup.state,
          synced: doc.rollup.synced,
          ready: doc.rollup.ready,
          ...(cause
            ? {
                rootCause: {
                  resource: `${cause.resource.kind}/${
                    cause.resource.namespace
                      ? `${cause.resource.namespace}/`
                      : ''
                  }${cause.resource.name}`,
                  role: cause.resource.role,
                  conditionType: cause.conditionType,
                  reason: cause.reason,
                  message: cause.message,
                  ...(cause.since ? { since: cause.since } : {}),
                },
              }
            : {}),
          ...(doc.proxmox
            ? {
                proxmox: {
                  site: doc.proxmox.site,
                  node: doc.proxmox.node,
                  vmId: doc.proxmox.vmId,
                  started: doc.proxmox.started,
                  ipv4: doc.proxmox.ipv4.flatMap(n => n.addresses),
                },
              }
            : {}),
          ...(doc.argocd
            ? {
                argocd: {
                  sync: doc.argocd.sync,
                  health: doc.argocd.health,
                  revision: doc.argocd.revision,
                },
              }
            : {}),
          stale: doc.freshness.stale,
          timeline: doc.timeline.map(s => ({
            step: s.label,
            status: s.status,
            ...(s.at ? { at: s.at } : {}),
          })),
        },
      };
    },
  });
}
