import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_PULL_REQUEST,
  ANNOTATION_SITE,
  ClaimRef,
  FleetListResponse,
  FleetVm,
  SANKOFA_LABELS,
  VM_ENTITY_TYPE,
  VmState,
  VmStatusDocument,
  sankofaVmReadPermission,
} from '@sankofa/plugin-sankofa-common';
import { ClusterView, ClusterViews } from '../cluster/types';
import { PullRequestSource } from '../gitops/GiteaPullRequests';
import { ARGOCD_APPLICATION, ClaimApi } from './api';
import { buildStatusDocument } from './document';
import { resolveClaimRef } from './entityClaim';
import { SiteConsole, proxmoxFacts } from './facts';
import { rollup } from './rootCause';
import { buildTree } from './tree';

export interface FleetFilters {
  site?: string;
  owner?: string;
  state?: VmState;
  offset: number;
  limit: number;
}

/**
 * Serves VM status from the clusters' watch caches. Every call runs as the signed-in user: the
 * catalog lookup uses their credentials and `sankofa.vm.read` is authorised on the entity.
 */
export class VmStatusService {
  constructor(
    private readonly deps: {
      views: ClusterViews;
      api: ClaimApi;
      sites: SiteConsole[];
      catalog: CatalogService;
      permissions: PermissionsService;
      /** When configured, PR steps of the timeline come from the Git host. */
      pullRequests?: PullRequestSource;
    },
  ) {}

  /** Parses an entity ref from user input; kind defaults to Resource. */
  static parseRef(entityRef: string): string {
    try {
      return stringifyEntityRef(
        parseEntityRef(entityRef, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }),
      );
    } catch (e) {
      throw new InputError(`entityRef: ${(e as Error).message}`);
    }
  }

  private async authorizedEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const ref = VmStatusService.parseRef(entityRef);
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`entity ${ref} not found`);
    }
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: sankofaVmReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`not allowed to read the VM status of ${ref}`);
    }
    return entity;
  }

  private claimOf(entity: Entity): { claimRef: ClaimRef; view: ClusterView } {
    const ref = stringifyEntityRef(entity);
    const claimRef = resolveClaimRef(entity, this.deps.views, this.deps.api);
    if (!claimRef) {
      throw new NotFoundError(`entity ${ref} names no VM claim`);
    }
    const view = this.deps.views.cluster(claimRef.cluster);
    if (!view) {
      throw new NotFoundError(
        `entity ${ref} names cluster "${claimRef.cluster}", which is not configured`,
      );
    }
    return { claimRef, view };
  }

  async getStatus(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<VmStatusDocument> {
    const entity = await this.authorizedEntity(entityRef, credentials);
    const { claimRef, view } = this.claimOf(entity);
    const prUrl = entity.metadata.annotations?.[ANNOTATION_PULL_REQUEST];
    const pullRequest =
      prUrl && this.deps.pullRequests
        ? await this.deps.pullRequests.get(prUrl)
        : undefined;
    return buildStatusDocument({
      entityRef: stringifyEntityRef(entity),
      annotations: entity.metadata.annotations ?? {},
      claimRef,
      api: this.deps.api,
      view,
      sites: this.deps.sites,
      pullRequest,
    });
  }

  async listFleet(
    filters: FleetFilters,
    credentials: BackstageCredentials,
  ): Promise<FleetListResponse> {
    const { items: entities } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': VM_ENTITY_TYPE },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
          'spec.type',
        ],
      },
      { credentials },
    );
    const decisions = entities.length
      ? await this.deps.permissions.authorize(
          entities.map(e => ({
            permission: sankofaVmReadPermission,
            resourceRef: stringifyEntityRef(e),
          })),
          { credentials },
        )
      : [];
    const rows: FleetVm[] = [];
    entities.forEach((entity, i) => {
      if (decisions[i]?.result !== AuthorizeResult.ALLOW) {
        return;
      }
      const row = this.fleetRow(entity);
      if (row && matches(row, filters)) {
        rows.push(row);
      }
    });
    rows.sort((a, b) =>
      `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(
        `${b.cluster}/${b.namespace}/${b.name}`,
      ),
    );
    return {
      items: rows.slice(filters.offset, filters.offset + filters.limit),
      totalItems: rows.length,
      offset: filters.offset,
      limit: filters.limit,
      clusters: this.deps.views.clusters().map(v => v.freshness()),
    };
  }

  private fleetRow(entity: Entity): FleetVm | undefined {
    let claimRef: ClaimRef | undefined;
    try {
      claimRef = resolveClaimRef(entity, this.deps.views, this.deps.api);
    } catch {
      // A malformed annotation hides the row here; the VM's own page reports it.
      return undefined;
    }
    const view = claimRef && this.deps.views.cluster(claimRef.cluster);
    if (!claimRef || !view) {
      return undefined;
    }
    const tree = buildTree(
      view,
      this.deps.api,
      claimRef.namespace,
      claimRef.name,
      {
        copyManifests: false,
      },
    );
    const app = tree
      ? undefined
      : view.get(
          ARGOCD_APPLICATION.apiVersion,
          ARGOCD_APPLICATION.kind,
          ARGOCD_APPLICATION.nameFor(claimRef.cluster),
          ARGOCD_APPLICATION.namespace,
        );
    const summary = rollup(tree, app, view.synced());
    const facts = proxmoxFacts(tree, []);
    const top = tree?.manifest as any;
    const owner =
      (entity.spec?.owner as string | undefined) ??
      top?.metadata?.labels?.[SANKOFA_LABELS.owner];
    const site = facts?.site ?? entity.metadata.annotations?.[ANNOTATION_SITE];
    return {
      entityRef: stringifyEntityRef(entity),
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      cluster: claimRef.cluster,
      namespace: claimRef.namespace,
      name: claimRef.name,
      ...(site ? { site } : {}),
      ...(owner ? { owner } : {}),
      state: summary.state,
      synced: summary.synced,
      ready: summary.ready,
      ...(summary.rootCause ? { rootCause: summary.rootCause } : {}),
      ...(facts?.node ? { node: facts.node } : {}),
      ...(facts?.vmId !== undefined ? { vmId: facts.vmId } : {}),
      stale: view.freshness().stale,
    };
  }
}

/** Owner filter accepts `team-alpha` or a full ref `group:default/team-alpha`. */
function ownerMatches(owner: string | undefined, wanted: string): boolean {
  if (!owner) {
    return false;
  }
  const short = (s: string) =>
    s
      .replace(/^[a-z]+:/i, '')
      .replace(/^default\//, '')
      .toLowerCase();
  return short(owner) === short(wanted);
}

function matches(row: FleetVm, f: FleetFilters): boolean {
  return (
    (!f.site || row.site === f.site) &&
    (!f.owner || ownerMatches(row.owner, f.owner)) &&
    (!f.state || row.state === f.state)
  );
}
