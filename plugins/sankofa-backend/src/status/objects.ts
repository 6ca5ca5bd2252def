import {
  ConditionStatus,
  ObjectRef,
  StatusCondition,
} from '@sankofa/plugin-sankofa-common';
import { KubeObject } from '../cluster/types';

/** Timestamps arrive as strings from watch events and as Dates from typed lists. */
export function toIso(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  return typeof value === 'string' && value ? value : undefined;
}

export function conditionsOf(obj: KubeObject | undefined): StatusCondition[] {
  const raw = obj?.status?.conditions;
  if (!Array.isArray(raw)) {
    return [];
  }
  return raw
    .filter(c => c && typeof c.type === 'string')
    .map(c => ({
      type: c.type,
      status: normaliseStatus(c.status),
      reason: typeof c.reason === 'string' ? c.reason : undefined,
      message: typeof c.message === 'string' ? c.message : undefined,
      lastTransitionTime: toIso(c.lastTransitionTime),
    }));
}

function normaliseStatus(value: unknown): ConditionStatus {
  return value === 'True' || value === 'False' ? value : 'Unknown';
}

export function conditionStatus(
  conditions: StatusCondition[],
  type: string,
): ConditionStatus {
  return conditions.find(c => c.type === type)?.status ?? 'Unknown';
}

export function findCondition(
  obj: KubeObject | undefined,
  type: string,
): StatusCondition | undefined {
  return conditionsOf(obj).find(c => c.type === type);
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    name: obj.metadata?.name ?? '',
  };
  if (obj.metadata?.namespace) {
    ref.namespace = obj.metadata.namespace;
  }
  return ref;
}

/**
 * The object as shown to users: managedFields and the last-applied annotation are noise that
 * doubles the YAML's size without saying anything about the VM.
 */
export function cleanManifest(obj: KubeObject): Record<string, unknown> {
  const { managedFields: _managed, ...metadata } = obj.metadata ?? {};
  const annotations = metadata.annotations
    ? Object.fromEntries(
        Object.entries(metadata.annotations).filter(
          ([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration',
        ),
      )
    : undefined;
  return JSON.parse(
    JSON.stringify({
      ...obj,
      metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
    }),
  );
}
