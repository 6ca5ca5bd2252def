/*
 * The Sankofa Portal backend (new backend system).
 *
 * Plugins are added here; their configuration lives in app-config*.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: Keycloak (OIDC) sign-in. The guest provider only works when `auth.environment` is
// development, and the sign-in page offers it only then.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/auth'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Users and groups from Keycloak; only runs where `catalog.providers.keycloakOrg` is configured
// (app-config.production.yaml), so development keeps the org from examples/org.yaml.
backend.add(
  import('@backstage-community/plugin-catalog-backend-module-keycloak'),
);

// Software templates
backend.add(import('@backstage/plugin-scaffolder-backend'));
// VM self-service: sankofa:vm:* and sankofa:gitops:pullRequest actions
backend.add(import('@sankofa/plugin-scaffolder-backend-module-sankofa'));

// Permissions: admins may do everything; others read, run templates, and see VMs, logs and
// dashboards only of what they own.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissions'));

// Search: Postgres engine when the database is Postgres, in-memory otherwise.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Signals (push updates to the browser), user settings, and the actions registry (MCP)
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Sankofa: VM status from Crossplane, Proxmox and ArgoCD
backend.add(import('@sankofa/plugin-sankofa-backend'));

backend.start();
