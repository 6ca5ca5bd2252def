import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import type { Config } from '@backstage/config';

export const DEFAULT_ADMIN_GROUP = 'group:default/platform';

/** Entity actions a user may take on what they own (directly or through a group). */
const OWNER_ONLY_ENTITY_PERMISSIONS = new Set(['catalog.entity.refresh']);

/** Running templates: reading them, creating and following tasks, and the actions they run. */
const TEMPLATE_PERMISSIONS = new Set(
  [
    templateParameterReadPermission,
    templateStepReadPermission,
    actionExecutePermission,
    taskCreatePermission,
  ].map(p => p.name),
);

/**
 * The portal's permission policy.
 * - Members of the admin group (`sankofa.permissions.adminGroup`) may do everything.
 * - Everyone else may read (catalog entities, search, ...), run templates and follow or cancel
 *   their own tasks, and use the
 *   `sankofa.*` permissions and refresh only on entities they own, directly or through a group
 *   (the catalog's isEntityOwner rule, evaluated against the identity's ownership refs).
 * - Anything else (creating, changing or deleting catalog entries, managing templates) is denied.
 */
export class SankofaPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): SankofaPermissionPolicy {
    const group =
      config.getOptionalString('sankofa.permissions.adminGroup') ??
      DEFAULT_ADMIN_GROUP;
    return new SankofaPermissionPolicy(group);
  }

  readonly adminGroupRef: string;

  constructor(adminGroup: string) {
    try {
      this.adminGroupRef = stringifyEntityRef(
        parseEntityRef(adminGroup, { defaultKind: 'group' }),
      );
    } catch (e) {
      throw new Error(
        `sankofa.permissions.adminGroup must be a group ref like group:default/platform, got "${adminGroup}"`,
      );
    }
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const ownership = user?.info.ownershipEntityRefs ?? [];
    if (ownership.includes(this.adminGroupRef)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      if (
        permission.name.startsWith('sankofa.') ||
        OWNER_ONLY_ENTITY_PERMISSIONS.has(permission.name)
      ) {
        return createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims: ownership }),
        );
      }
    }
    // A task's parameters can hold what its author typed: only they may follow or cancel it.
    if (
      isResourcePermission(permission, 'scaffolder-task') &&
      [taskReadPermission.name, taskCancelPermission.name].includes(
        permission.name,
      )
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: user ? [user.info.userEntityRef] : [],
        }),
      );
    }
    if (TEMPLATE_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  }
}
