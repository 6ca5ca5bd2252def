import { createApiRef } from '@backstage/core-plugin-api';
import {
  FleetListResponse,
  PlacementPolicy,
  VmState,
  VmStatusDocument,
} from '@sankofa/plugin-sankofa-common';

export interface FleetQuery {
  site?: string;
  owner?: string;
  state?: VmState;
  offset?: number;
  limit?: number;
}

/** The Sankofa backend's VM routes. */
export interface SankofaApi {
  getVmStatus(entityRef: string): Promise<VmStatusDocument>;
  listVms(query: FleetQuery): Promise<FleetListResponse>;
  /** The sites a VM may be requested on, with `owner`'s quota left on each. */
  getPlacementPolicy(owner: string): Promise<PlacementPolicy>;
}

export const sankofaApiRef = createApiRef<SankofaApi>({
  id: 'plugin.sankofa.service',
});
