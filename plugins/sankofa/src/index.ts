/**
 * Sankofa frontend plugin: VM status card, resources tab, provisioning timeline, fleet page and
 * the SankofaPlacementPicker template field.
 * The new frontend system's plugin is exported from `@sankofa/plugin-sankofa/alpha`.
 *
 * @packageDocumentation
 */
export {
  sankofaPlugin,
  SankofaFleetPage,
  EntityVmStatusCard,
  EntityVmResourcesContent,
  SankofaPlacementPickerFieldExtension,
} from './plugin';
export {
  SankofaPlacementPicker,
  SANKOFA_PLACEMENT_PICKER,
  validatePlacement,
} from './components/placement';
export type { PlacementDraft } from './components/placement';
export { ProvisioningTimeline } from './components/ProvisioningTimeline';
export { sankofaApiRef } from './api/SankofaApi';
export type { SankofaApi, FleetQuery } from './api/SankofaApi';
export { SankofaClient } from './api/SankofaClient';
export { isVmEntity } from './isVmEntity';
