import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  readSitesPolicy,
  sankofaPermissions,
} from '@sankofa/plugin-sankofa-common';
import { registerStatusAction } from './actions';
import {
  ClusterWatchCache,
  ClusterWatchCaches,
} from './cluster/ClusterWatchCache';
import { readClusters } from './cluster/config';
import { watchedKinds } from './cluster/watchedKinds';
import { readClaimApi, readSiteConsoles } from './config';
import { PlacementPolicyService } from './policy/PlacementPolicyService';
import { createRouter } from './router';
import { GiteaPullRequests } from './gitops/GiteaPullRequests';
import { VmStatusService } from './status/VmStatusService';

/**
 * The Sankofa backend plugin: watch caches of the configured clusters, the VM status service,
 * its routes under /api/sankofa and the `get-vm-status` action.
 */
export const sankofaPlugin = createBackendPlugin({
  pluginId: 'sankofa',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
        actionsRegistry,
      }) {
        const api = readClaimApi(config);
        const kinds = watchedKinds(api);
        const caches = new ClusterWatchCaches(
          readClusters(config, logger).map(
            cluster => new ClusterWatchCache({ cluster, kinds, logger }),
          ),
        );
        // Not awaited: an unreachable cluster must not block the backend's startup; its data is
        // reported stale until the first list succeeds.
        caches
          .start()
          .catch(e => logger.error(`sankofa: watch start failed: ${e}`));
        lifecycle.addShutdownHook(() => caches.stop());

        permissionsRegistry.addPermissions(sankofaPermissions);
        const statusService = new VmStatusService({
          views: caches,
          api,
          sites: readSiteConsoles(config),
          catalog,
          permissions,
          pullRequests: GiteaPullRequests.fromConfig(config, logger),
        });
        registerStatusAction(actionsRegistry, statusService);
        const policyService = new PlacementPolicyService({
          sites: readSitesPolicy(config),
          views: caches,
          api,
        });
        httpRouter.use(
          await createRouter({ httpAuth, statusService, policyService }),
        );
      },
    });
  },
});
