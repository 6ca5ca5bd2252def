/**
 * Annotation keys on catalog entities. These are public contracts (see DESIGN.md): the scaffolder
 * writes them, the backend and frontend read them.
 */

/** `<cluster>/<namespace>/<name>` of the claim (or of the namespaced XR, Crossplane v2). */
export const ANNOTATION_VM_CLAIM = 'sankofa.io/vm-claim';
/** `key=value,key=value`: the only labels that scope the entity's Loki stream selector. */
export const ANNOTATION_LOKI_LABELS = 'sankofa.io/loki-labels';
/** The Loki tenant (X-Scope-OrgID) for the entity. */
export const ANNOTATION_LOKI_TENANT = 'sankofa.io/loki-tenant';
/** `<dashboardUid>/<panelId>,…`: the Grafana panels shown for the entity. */
export const ANNOTATION_GRAFANA_PANELS = 'sankofa.io/grafana-panels';
/** URL of the GitOps pull request that requested (or last changed) the VM. */
export const ANNOTATION_PULL_REQUEST = 'sankofa.io/pull-request';
/** The Proxmox site the VM runs on. */
export const ANNOTATION_SITE = 'sankofa.io/site';

/** Read for compatibility with the community Grafana plugin. */
export const ANNOTATION_GRAFANA_DASHBOARD_SELECTOR =
  'grafana/dashboard-selector';
export const ANNOTATION_GRAFANA_OVERVIEW_DASHBOARD =
  'grafana/overview-dashboard';

/** Read for compatibility with Backstage's Kubernetes plugin. */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/** Read for compatibility with TeraSky's Crossplane plugins. */
export const TERASKY_CLAIM_ANNOTATIONS = {
  name: 'terasky.backstage.io/claim-name',
  namespace: 'terasky.backstage.io/claim-namespace',
  kind: 'terasky.backstage.io/claim-kind',
  group: 'terasky.backstage.io/claim-group',
  version: 'terasky.backstage.io/claim-version',
  cluster: 'backstage.io/managed-by-location',
} as const;
