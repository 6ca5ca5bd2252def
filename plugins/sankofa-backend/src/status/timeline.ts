import {
  ArgoCdFacts,
  RootCause,
  StatusNode,
  TimelineStep,
} from '@sankofa/plugin-sankofa-common';
import { findManagedVm } from './facts';

/** What the Git host says about the VM's pull request, when it could be asked. */
export interface PullRequestFacts {
  url: string;
  state: 'open' | 'merged' | 'closed';
  openedAt?: string;
  mergedAt?: string;
}

export interface TimelineInput {
  tree?: StatusNode;
  argocd?: ArgoCdFacts;
  rootCause?: RootCause;
  pullRequestUrl?: string;
  pullRequest?: PullRequestFacts;
}

function readyTime(node: StatusNode | undefined): string | undefined {
  const c = node?.conditions.find(
    x => x.type === 'Ready' && x.status === 'True',
  );
  return c ? c.lastTransitionTime ?? '' : undefined;
}

/**
 * PR opened → merged → synced → claim created → Ready → running. Steps the Git host or ArgoCD
 * cannot tell are derived from later facts (a claim in the cluster means the PR was merged and
 * synced) and say so in their `source`.
 */
export function buildTimeline(input: TimelineInput): TimelineStep[] {
  const { tree, argocd, rootCause, pullRequestUrl, pullRequest } = input;
  const claimCreatedAt = tree?.found ? tree.createdAt : undefined;
  const inCluster = !!tree?.found;
  const steps: TimelineStep[] = [];

  if (pullRequest) {
    steps.push({
      id: 'prOpened',
      label: 'Pull request opened',
      status: 'done',
      at: pullRequest.openedAt,
      source: 'gitops',
      detail: pullRequest.url,
    });
    const merged: Record<PullRequestFacts['state'], TimelineStep> = {
      merged: {
        id: 'prMerged',
        label: 'Pull request merged',
        status: 'done',
        at: pullRequest.mergedAt,
        source: 'gitops',
      },
      closed: {
        id: 'prMerged',
        label: 'Pull request merged',
        status: 'failed',
        detail: 'closed without merging',
        source: 'gitops',
      },
      open: {
        id: 'prMerged',
        label: 'Pull request merged',
        status: 'pending',
        source: 'gitops',
      },
    };
    steps.push(merged[pullRequest.state]);
  } else {
    steps.push({
      id: 'prOpened',
      label: 'Pull request opened',
      status: pullRequestUrl || inCluster ? 'done' : 'unknown',
      source: pullRequestUrl ? 'annotation' : 'derived',
      ...(pullRequestUrl ? { detail: pullRequestUrl } : {}),
    });
    steps.push({
      id: 'prMerged',
      label: 'Pull request merged',
      status: inCluster ? 'done' : 'unknown',
      source: 'derived',
      ...(inCluster
        ? { detail: 'the claim is in the cluster, so the change was merged' }
        : {}),
    });
  }

  const op = argocd?.lastOperation;
  if (
    op?.phase === 'Succeeded' &&
    (inCluster || argocd?.claimSync === 'Synced')
  ) {
    steps.push({
      id: 'synced',
      label: 'Synced by ArgoCD',
      status: 'done',
      at: op.finishedAt,
      source: 'argocd',
      detail: op.revision,
    });
  } else if (op && (op.phase === 'Failed' || op.phase === 'Error')) {
    steps.push({
      id: 'synced',
      label: 'Synced by ArgoCD',
      status: 'failed',
      at: op.finishedAt,
      source: 'argocd',
      detail: op.message,
    });
  } else if (inCluster) {
    steps.push({
      id: 'synced',
      label: 'Synced by ArgoCD',
      status: 'done',
      at: claimCreatedAt,
      source: 'derived',
    });
  } else {
    steps.push({
      id: 'synced',
      label: 'Synced by ArgoCD',
      status: 'pending',
      source: argocd ? 'argocd' : 'derived',
    });
  }

  steps.push({
    id: 'claimCreated',
    label: 'Claim created',
    status: inCluster ? 'done' : 'pending',
    at: claimCreatedAt,
    source: 'cluster',
  });

  const readyAt = tree?.ready === 'True' ? readyTime(tree) : undefined;
  let readyStatus: TimelineStep['status'] = 'pending';
  if (readyAt !== undefined) {
    readyStatus = 'done';
  } else if (rootCause && inCluster) {
    readyStatus = 'failed';
  }
  steps.push({
    id: 'ready',
    label: 'Ready',
    status: readyStatus,
    at: readyAt || undefined,
    source: 'cluster',
    ...(rootCause && readyAt === undefined
      ? { detail: `${rootCause.reason}: ${rootCause.message}` }
      : {}),
  });

  const vm = findManagedVm(tree);
  const started = (vm?.manifest as any)?.status?.atProvider?.started;
  const vmReadyAt = readyTime(vm);
  steps.push({
    id: 'running',
    label: 'Running on Proxmox',
    status: started === true && vmReadyAt !== undefined ? 'done' : 'pending',
    at: started === true ? vmReadyAt || undefined : undefined,
    source: 'cluster',
    ...(started === false ? { detail: 'the VM is stopped' } : {}),
  });
  return steps;
}
