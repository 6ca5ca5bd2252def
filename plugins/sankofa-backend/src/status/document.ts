import {
  ANNOTATION_PULL_REQUEST,
  ClaimRef,
  Freshness,
  VmStatusDocument,
} from '@sankofa/plugin-sankofa-common';
import { ClusterView } from '../cluster/types';
import { ARGOCD_APPLICATION, ClaimApi } from './api';
import { desiredVsObserved } from './desiredObserved';
import { SiteConsole, argoCdFacts, chainEvents, proxmoxFacts } from './facts';
import { rollup } from './rootCause';
import { PullRequestFacts, buildTimeline } from './timeline';
import { buildTree } from './tree';

export interface DocumentInput {
  entityRef: string;
  annotations: Record<string, string>;
  claimRef: ClaimRef;
  api: ClaimApi;
  /** Undefined when the claim names a cluster that is not configured. */
  view: ClusterView;
  sites: SiteConsole[];
  pullRequest?: PullRequestFacts;
  now?: Date;
}

/** Assembles the status document from one cluster's cache: no I/O. */
export function buildStatusDocument(input: DocumentInput): VmStatusDocument {
  const { claimRef, api, view } = input;
  const tree = buildTree(view, api, claimRef.namespace, claimRef.name);
  const app = view.get(
    ARGOCD_APPLICATION.apiVersion,
    ARGOCD_APPLICATION.kind,
    ARGOCD_APPLICATION.nameFor(claimRef.cluster),
    ARGOCD_APPLICATION.namespace,
  );
  const freshness: Freshness = view.freshness();
  const summary = rollup(tree, app, view.synced());
  const argocd = argoCdFacts(app, { kind: api.kind, ...claimRef });
  const pullRequestUrl = input.annotations[ANNOTATION_PULL_REQUEST];
  return {
    entityRef: input.entityRef,
    claim: {
      cluster: claimRef.cluster,
      apiVersion: api.apiVersion,
      kind: api.kind,
      namespace: claimRef.namespace,
      name: claimRef.name,
    },
    rollup: summary,
    ...(tree ? { tree } : {}),
    desiredVsObserved: desiredVsObserved(tree),
    ...(tree ? { proxmox: proxmoxFacts(tree, input.sites) } : {}),
    ...(argocd ? { argocd } : {}),
    events: chainEvents(view, tree),
    timeline: buildTimeline({
      tree,
      argocd,
      rootCause: summary.rootCause,
      pullRequestUrl,
      pullRequest: input.pullRequest,
    }),
    freshness,
    ...(pullRequestUrl ? { pullRequestUrl } : {}),
    generatedAt: (input.now ?? new Date()).toISOString(),
  };
}
