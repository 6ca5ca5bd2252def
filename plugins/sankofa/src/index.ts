/**
 * Sankofa frontend plugin: VM status card, resources tab, provisioning timeline and fleet page.
 * The new frontend system's plugin is exported from `@sankofa/plugin-sankofa/alpha`.
 *
 * @packageDocumentation
 */
export {
  sankofaPlugin,
  SankofaFleetPage,
  EntityVmStatusCard,
  EntityVmResourcesContent,
} from './plugin';
export { ProvisioningTimeline } from './components/ProvisioningTimeline';
export { sankofaApiRef } from './api/SankofaApi';
export type { SankofaApi, FleetQuery } from './api/SankofaApi';
export { SankofaClient } from './api/SankofaClient';
export { isVmEntity } from './isVmEntity';
