import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  FleetListResponse,
  PlacementPolicy,
  VmStatusDocument,
} from '@sankofa/plugin-sankofa-common';
import { FleetQuery, SankofaApi } from './SankofaApi';

/** Calls /api/sankofa with the signed-in user's token (fetchApi adds it). */
export class SankofaClient implements SankofaApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(
    path: string,
    query: Record<string, unknown>,
  ): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('sankofa');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const res = await this.deps.fetchApi.fetch(`${base}${path}?${params}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  getVmStatus(entityRef: string): Promise<VmStatusDocument> {
    return this.get('/vms/status', { entityRef });
  }

  listVms(query: FleetQuery): Promise<FleetListResponse> {
    return this.get('/vms', { ...query });
  }

  getPlacementPolicy(owner: string): Promise<PlacementPolicy> {
    return this.get('/policy', { owner });
  }
}
