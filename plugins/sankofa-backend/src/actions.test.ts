import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MemoryView,
  syncError,
  synced,
  creating,
  unavailable,
  vmChain,
} from './__fixtures__/chain';
import { registerStatusAction } from './actions';
import { DEFAULT_CLAIM_API } from './status/api';
import { VmStatusService } from './status/VmStatusService';

const MESSAGE =
  "create failed: async create failed: failed to create resource: received an HTTP 595 response - Reason: Connection refused: node 'pve-accra-1' seems to be offline";

function setup(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const { claim, xr, vm } = vmChain({
    claimConditions: [synced(), unavailable('Unready resources')],
    xrConditions: [synced(), unavailable('Unready resources')],
    vmConditions: [syncError(MESSAGE), creating()],
  });
  const view = new MemoryView('sankofa-east', [claim, xr, vm]);
  const registry = actionsRegistryServiceMock();
  const service = new VmStatusService({
    views: {
      cluster: n => (n === view.name ? view : undefined),
      clusters: () => [view],
    },
    api: DEFAULT_CLAIM_API,
    sites: [],
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'web-1',
            namespace: 'team-alpha',
            annotations: {
              'sankofa.io/vm-claim': 'sankofa-east/team-alpha/web-1',
            },
          },
          spec: { type: 'virtual-machine', owner: 'group:default/team-alpha' },
        },
      ],
    }),
    permissions: mockServices.permissions.mock({
      authorize: async reqs => reqs.map(() => ({ result })),
    }),
  });
  registerStatusAction(registry, service);
  return registry;
}

describe('get-vm-status action', () => {
  it('is read-only and answers "why is my VM not ready" with the root cause', async () => {
    const registry = setup(AuthorizeResult.ALLOW);
    const { actions } = await registry.list();
    expect(actions).toHaveLength(1);
    expect(actions[0].attributes).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
    });
    const { output } = await registry.invoke({
      id: actions[0].id,
      input: { entityRef: 'resource:team-alpha/web-1' },
      credentials: mockCredentials.user('user:default/kofi'),
    });
    expect(output).toMatchObject({
      state: 'Failed',
      ready: 'False',
      rootCause: {
        resource: 'EnvironmentVM/web-1-x7k2p-vm',
        role: 'managed',
        reason: 'ReconcileError',
        message: MESSAGE,
      },
      stale: false,
    });
  });

  it('is gated by sankofa.vm.read', async () => {
    const registry = setup(AuthorizeResult.DENY);
    const { actions } = await registry.list();
    await expect(
      registry.invoke({
        id: actions[0].id,
        input: { entityRef: 'resource:team-alpha/web-1' },
        credentials: mockCredentials.user('user:default/yaw'),
      }),
    ).rejects.toThrow(/not allowed/);
  });
});
