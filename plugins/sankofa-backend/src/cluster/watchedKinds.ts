import { ARGOCD_APPLICATION, ClaimApi } from '../status/api';
import { WatchSpec } from './ClusterWatchCache';

/** Every kind the status page reads, one informer each per cluster (Events are always added). */
export function watchedKinds(api: ClaimApi): WatchSpec[] {
  return [
    {
      apiVersion: api.apiVersion,
      kind: api.kind,
      plural: api.plural,
      namespaced: true,
    },
    ...(api.composite ? [{ ...api.composite, namespaced: false }] : []),
    ...api.managed,
    {
      apiVersion: ARGOCD_APPLICATION.apiVersion,
      kind: ARGOCD_APPLICATION.kind,
      plural: ARGOCD_APPLICATION.plural,
      namespaced: true,
      onlyNamespace: ARGOCD_APPLICATION.namespace,
    },
  ];
}
