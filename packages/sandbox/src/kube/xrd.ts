import fs from 'node:fs';
import { parse } from 'yaml';
import { CustomResourceDefinition } from './resources';
import { JsonSchema } from './validation';

/** A Crossplane CompositeResourceDefinition (apiextensions.crossplane.io/v1), as far as we read it. */
export interface CompositeResourceDefinition {
  apiVersion: string;
  kind: 'CompositeResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: {
      kind: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    claimNames?: {
      kind: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope?: 'Namespaced' | 'Cluster' | 'LegacyCluster';
    versions: Array<{
      name: string;
      served: boolean;
      referenceable: boolean;
      schema?: { openAPIV3Schema?: JsonSchema };
      additionalPrinterColumns?: unknown[];
    }>;
  };
}

const str: JsonSchema = { type: 'string' };
const nameRef: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: str },
};
const labelSelector: JsonSchema = {
  type: 'object',
  required: ['matchLabels'],
  properties: { matchLabels: { type: 'object', additionalProperties: str } },
};
const typedRef: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name'],
  properties: { apiVersion: str, kind: str, name: str },
};

const conditions: JsonSchema = {
  type: 'array',
  description: 'Conditions of the resource.',
  'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-list-type': 'map',
  items: {
    type: 'object',
    required: ['lastTransitionTime', 'reason', 'status', 'type'],
    properties: {
      lastTransitionTime: { type: 'string', format: 'date-time' },
      message: str,
      observedGeneration: { type: 'integer', format: 'int64' },
      reason: str,
      status: str,
      type: str,
    },
  },
};

/** The spec fields Crossplane adds to every composite resource (v1 XRDs). */
function compositeSpecFields(): Record<string, JsonSchema> {
  return {
    compositionRef: nameRef,
    compositionSelector: labelSelector,
    compositionRevisionRef: nameRef,
    compositionRevisionSelector: labelSelector,
    compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
    claimRef: {
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'namespace'],
      properties: { apiVersion: str, kind: str, name: str, namespace: str },
    },
    resourceRefs: {
      type: 'array',
      items: typedRef,
      'x-kubernetes-list-type': 'atomic',
    },
    writeConnectionSecretToRef: {
      type: 'object',
      required: ['name', 'namespace'],
      properties: { name: str, namespace: str },
    },
  };
}

/** The spec fields Crossplane adds to every claim. */
function claimSpecFields(): Record<string, JsonSchema> {
  return {
    compositionRef: nameRef,
    compositionSelector: labelSelector,
    compositionRevisionRef: nameRef,
    compositionRevisionSelector: labelSelector,
    compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
    compositeDeletePolicy: {
      type: 'string',
      enum: ['Background', 'Foreground'],
    },
    resourceRef: typedRef,
    writeConnectionSecretToRef: {
      type: 'object',
      required: ['name'],
      properties: { name: str },
    },
  };
}

function statusFields(composite: boolean): Record<string, JsonSchema> {
  const fields: Record<string, JsonSchema> = {
    conditions,
    connectionDetails: {
      type: 'object',
      properties: {
        lastPublishedTime: { type: 'string', format: 'date-time' },
      },
    },
  };
  if (composite) {
    fields.claimConditionTypes = {
      type: 'array',
      items: str,
      'x-kubernetes-list-type': 'set',
    };
  }
  return fields;
}

function extendSchema(
  user: JsonSchema | undefined,
  specExtra: Record<string, JsonSchema>,
  statusExtra: Record<string, JsonSchema>,
): JsonSchema {
  const base: JsonSchema = structuredClone(user ?? { type: 'object' });
  const props = (base.properties ??= {});
  const spec = (props.spec ??= { type: 'object' });
  spec.properties = { ...(spec.properties ?? {}), ...specExtra };
  const status = (props.status ??= { type: 'object' });
  status.properties = { ...(status.properties ?? {}), ...statusExtra };
  props.apiVersion = str;
  props.kind = str;
  props.metadata = { type: 'object' };
  base.type = 'object';
  base.required = [...new Set([...(base.required ?? []), 'spec'])];
  return base;
}

const printerColumns = (composite: boolean, user: unknown[] = []) => [
  {
    name: 'SYNCED',
    type: 'string',
    jsonPath: ".status.conditions[?(@.type=='Synced')].status",
  },
  {
    name: 'READY',
    type: 'string',
    jsonPath: ".status.conditions[?(@.type=='Ready')].status",
  },
  composite
    ? {
        name: 'COMPOSITION',
        type: 'string',
        jsonPath: '.spec.compositionRef.name',
      }
    : {
        name: 'CONNECTION-SECRET',
        type: 'string',
        jsonPath: '.spec.writeConnectionSecretToRef.name',
      },
  ...user,
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/**
 * Derives the composite (XR) and claim CRDs from an XRD the way Crossplane's
 * definition controller does: the user's schema plus Crossplane's standard
 * spec and status fields, a status subresource and the usual categories.
 */
export function crdsFromXrd(
  xrd: CompositeResourceDefinition,
): CustomResourceDefinition[] {
  const { group, names, claimNames, versions } = xrd.spec;
  const scope = xrd.spec.scope === 'Namespaced' ? 'Namespaced' : 'Cluster';
  const compositeVersions = versions.map((v, i) => ({
    name: v.name,
    served: v.served,
    storage: v.referenceable ?? i === 0,
    schema: {
      openAPIV3Schema: extendSchema(
        v.schema?.openAPIV3Schema,
        compositeSpecFields(),
        statusFields(true),
      ),
    },
    subresources: { status: {} },
    additionalPrinterColumns: printerColumns(true, v.additionalPrinterColumns),
  }));
  const composite: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${names.plural}.${group}`,
      ownerReferences: [
        {
          apiVersion: xrd.apiVersion,
          kind: xrd.kind,
          name: xrd.metadata.name,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      group,
      names: {
        kind: names.kind,
        listKind: `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        shortNames: names.shortNames,
        categories: [...new Set([...(names.categories ?? []), 'composite'])],
      },
      scope,
      versions: compositeVersions,
    },
  };
  const crds = [composite];
  if (claimNames) {
    crds.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: `${claimNames.plural}.${group}`,
        ownerReferences: composite.metadata.ownerReferences,
      },
      spec: {
        group,
        names: {
          kind: claimNames.kind,
          listKind: `${claimNames.kind}List`,
          plural: claimNames.plural,
          singular: claimNames.singular ?? claimNames.kind.toLowerCase(),
          shortNames: claimNames.shortNames,
          categories: [...new Set([...(claimNames.categories ?? []), 'claim'])],
        },
        scope: 'Namespaced',
        versions: versions.map((v, i) => ({
          name: v.name,
          served: v.served,
          storage: v.referenceable ?? i === 0,
          schema: {
            openAPIV3Schema: extendSchema(
              v.schema?.openAPIV3Schema,
              claimSpecFields(),
              statusFields(false),
            ),
          },
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns(
            false,
            v.additionalPrinterColumns,
          ),
        })),
      },
    });
  }
  return crds;
}

export function readXrdFile(file: string): CompositeResourceDefinition {
  if (!fs.existsSync(file)) {
    throw new Error(`Crossplane XRD not found: ${file} does not exist`);
  }
  const xrd = parse(fs.readFileSync(file, 'utf8'));
  if (xrd?.kind !== 'CompositeResourceDefinition') {
    throw new Error(`${file} is not a CompositeResourceDefinition`);
  }
  return xrd;
}
