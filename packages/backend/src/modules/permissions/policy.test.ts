import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { sankofaPermissions } from '@sankofa/plugin-sankofa-common';
import type { Permission } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { permissionModuleSankofaPolicy } from './module';
import { DEFAULT_ADMIN_GROUP, SankofaPermissionPolicy } from './policy';

/** Who owns what, as sign-in puts it into the identity (user, catalog groups, token groups). */
const OWNERSHIP: Record<string, string[]> = {
  'user:default/kofi': ['user:default/kofi', 'group:default/team-alpha'],
  'user:default/yaw': ['user:default/yaw', 'group:default/team-beta'],
  'user:default/ama': ['user:default/ama', 'group:default/platform'],
};

function vm(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: { type: 'virtual-machine', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const alphaVm = vm('alpha-web-1', 'team-alpha');
const betaVm = vm('beta-db-1', 'team-beta');

describe('the Sankofa permission policy', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleSankofaPolicy,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            sankofa: { permissions: { adminGroup: 'group:default/platform' } },
          },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
            };
          },
        }).factory,
      ],
    });
  });
  afterAll(() => backend?.stop());

  /**
   * Asks the permission backend about one permission on one entity, as a plugin does on behalf of
   * the signed-in user (the sankofa backend's route handlers do exactly this).
   */
  async function decide(user: string, permission: Permission, entity?: Entity) {
    const token = mockCredentials.user.token(user, {
      actor: { subject: 'plugin:sankofa' },
    });
    const res = await request(backend.server)
      .post('/api/permission/authorize')
      .set('authorization', `Bearer ${token}`)
      .send({ items: [{ id: '1', permission }] });
    expect(res.body.error).toBeUndefined();
    const [decision] = res.body.items;
    if (decision.result !== 'CONDITIONAL') return decision.result as string;
    // Evaluate the condition with the catalog's own rule, as the catalog would.
    expect(decision.conditions).toMatchObject({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
    });
    const rule = permissionRules.isEntityOwner;
    return rule.apply(entity!, decision.conditions.params) ? 'ALLOW' : 'DENY';
  }

  it.each(sankofaPermissions.map(p => [p.name, p]))(
    '%s: owner team yes, other team no, admin yes',
    async (_name, permission) => {
      expect(await decide('user:default/kofi', permission, alphaVm)).toBe(
        'ALLOW',
      );
      expect(await decide('user:default/kofi', permission, betaVm)).toBe(
        'DENY',
      );
      expect(await decide('user:default/yaw', permission, betaVm)).toBe(
        'ALLOW',
      );
      expect(await decide('user:default/yaw', permission, alphaVm)).toBe(
        'DENY',
      );
      expect(await decide('user:default/ama', permission, betaVm)).toBe(
        'ALLOW',
      );
    },
  );

  it('lets everyone read the catalog and run templates, and only admins delete', async () => {
    expect(await decide('user:default/yaw', catalogEntityReadPermission)).toBe(
      'ALLOW',
    );
    expect(await decide('user:default/yaw', taskCreatePermission)).toBe(
      'ALLOW',
    );
    expect(
      await decide('user:default/yaw', catalogEntityDeletePermission),
    ).toBe('DENY');
    expect(
      await decide('user:default/ama', catalogEntityDeletePermission),
    ).toBe('ALLOW');
  });

  it('lets users follow and cancel only their own template tasks', async () => {
    const policy = new SankofaPermissionPolicy(DEFAULT_ADMIN_GROUP);
    const kofi = {
      info: {
        userEntityRef: 'user:default/kofi',
        ownershipEntityRefs: ['user:default/kofi', 'group:default/team-alpha'],
      },
      credentials: mockCredentials.user('user:default/kofi'),
    };
    for (const permission of [taskReadPermission, taskCancelPermission]) {
      expect(await policy.handle({ permission }, kofi)).toMatchObject({
        result: 'CONDITIONAL',
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          params: { createdBy: ['user:default/kofi'] },
        },
      });
    }
  });

  it('rejects an admin group that is not an entity ref', () => {
    expect(() => new SankofaPermissionPolicy('group:')).toThrow(
      /sankofa.permissions.adminGroup must be a group ref/,
    );
    expect(new SankofaPermissionPolicy('platform').adminGroupRef).toBe(
      'group:default/platform',
    );
  });
});
