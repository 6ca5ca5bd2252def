import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { JsonSchema } from './validation';

/** One served resource: a (group, version, plural) triple and what the apiserver knows about it. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `group/version`. */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** Whether `/status` is a subresource; then main-resource writes ignore status. */
  statusSubresource: boolean;
  /** Custom resources get generation and schema pruning; core kinds do not. */
  custom: boolean;
  schema?: JsonSchema;
  /** Field selector labels the kind accepts besides metadata.name/namespace. */
  fieldSelectors: ReadonlySet<string>;
  /** `plural.group`, or `plural` for core kinds, as in error messages. */
  resource: string;
  /** `Kind.group`, or `Kind` for core kinds, as in Invalid messages. */
  qualifiedKind: string;
  verbs: string[];
}

/** A CustomResourceDefinition (apiextensions.k8s.io/v1) as far as the sandbox reads it. */
export interface CustomResourceDefinition {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema?: { openAPIV3Schema?: JsonSchema };
      subresources?: { status?: object };
      additionalPrinterColumns?: unknown[];
    }>;
  };
}

const RESOURCE_VERBS = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function makeType(
  t: Omit<
    ResourceType,
    'apiVersion' | 'resource' | 'qualifiedKind' | 'verbs' | 'fieldSelectors'
  > & { fieldSelectors?: string[]; verbs?: string[] },
): ResourceType {
  return {
    ...t,
    apiVersion: t.group ? `${t.group}/${t.version}` : t.version,
    resource: t.group ? `${t.plural}.${t.group}` : t.plural,
    qualifiedKind: t.group ? `${t.kind}.${t.group}` : t.kind,
    verbs: t.verbs ?? RESOURCE_VERBS,
    fieldSelectors: new Set([
      'metadata.name',
      'metadata.namespace',
      ...(t.fieldSelectors ?? []),
    ]),
  };
}

/** Namespaces and core/v1 Events, the two built-in kinds the sandbox serves. */
export function coreResourceTypes(): ResourceType[] {
  return [
    makeType({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      listKind: 'NamespaceList',
      plural: 'namespaces',
      singular: 'namespace',
      shortNames: ['ns'],
      categories: [],
      namespaced: false,
      statusSubresource: true,
      custom: false,
      fieldSelectors: ['status.phase'],
    }),
    makeType({
      group: '',
      version: 'v1',
      kind: 'Event',
      listKind: 'EventList',
      plural: 'events',
      singular: 'event',
      shortNames: ['ev'],
      categories: [],
      namespaced: true,
      statusSubresource: false,
      custom: false,
      fieldSelectors: [
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'reportingComponent',
        'source',
        'type',
      ],
    }),
  ];
}

/** The CRD kind itself, served read-only so `kubectl get crds` works. */
export function crdResourceType(): ResourceType {
  return makeType({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    namespaced: false,
    statusSubresource: true,
    custom: false,
    verbs: ['get', 'list', 'watch'],
  });
}

/** One ResourceType per served version of a CRD. */
export function resourceTypesFromCrd(
  crd: CustomResourceDefinition,
): ResourceType[] {
  const { group, names, scope, versions } = crd.spec;
  return versions
    .filter(v => v.served)
    .map(v =>
      makeType({
        group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: scope === 'Namespaced',
        statusSubresource: Boolean(v.subresources?.status),
        custom: true,
        schema: v.schema?.openAPIV3Schema,
      }),
    );
}

/** Reads every CustomResourceDefinition document in a YAML file. */
export function readCrdFile(file: string): CustomResourceDefinition[] {
  const text = fs.readFileSync(file, 'utf8');
  return parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(
      (d: any) => d && d.kind === 'CustomResourceDefinition',
    ) as CustomResourceDefinition[];
}

/** Walks up from this file to the monorepo root (the folder holding backstage.json). */
// The sandbox only ever runs from source (bin/ uses the node transform), so
// __dirname reliably points into packages/sandbox/src/kube.
// eslint-disable-next-line no-restricted-syntax
export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Cannot find the repository root (a folder with backstage.json) above ${start}`,
      );
    }
    dir = parent;
  }
}

/** Where the provider-proxmox-bpg CRDs are read from: env override, else ../shared/reference next to the repo. */
export function providerCrdsDir(repoRoot: string = findRepoRoot()): string {
  return (
    process.env.SANKOFA_PROVIDER_CRDS_DIR ??
    path.resolve(repoRoot, '../shared/reference/provider-proxmox-bpg')
  );
}

/** Loads both EnvironmentVM CRDs (cluster-scoped and the namespaced `.m.` variant). */
export function loadProviderCrds(dir: string): CustomResourceDefinition[] {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `provider-proxmox-bpg CRDs not found: ${dir} does not exist (set SANKOFA_PROVIDER_CRDS_DIR to the folder holding the EnvironmentVM CRD YAML files)`,
    );
  }
  const crds = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .flatMap(f => readCrdFile(path.join(dir, f)));
  if (!crds.some(c => c.spec.names.kind === 'EnvironmentVM')) {
    throw new Error(
      `provider-proxmox-bpg CRDs not found: no EnvironmentVM CustomResourceDefinition in ${dir}`,
    );
  }
  return crds;
}
