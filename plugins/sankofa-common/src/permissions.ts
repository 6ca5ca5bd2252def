import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/** See a VM's status chain (claim, composite, managed resource, ArgoCD, events). */
export const sankofaVmReadPermission = createPermission({
  name: 'sankofa.vm.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Query the entity's logs in Loki. */
export const sankofaLogsReadPermission = createPermission({
  name: 'sankofa.logs.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** See the entity's Grafana panels. */
export const sankofaGrafanaReadPermission = createPermission({
  name: 'sankofa.grafana.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const sankofaPermissions = [
  sankofaVmReadPermission,
  sankofaLogsReadPermission,
  sankofaGrafanaReadPermission,
];
