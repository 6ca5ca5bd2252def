import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { SankofaPermissionPolicy } from './policy';

/** Installs the portal's policy in place of the allow-all one. */
export const permissionModuleSankofaPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'sankofa-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(SankofaPermissionPolicy.fromConfig(config));
      },
    });
  },
});
