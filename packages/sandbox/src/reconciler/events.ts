import { randomBytes } from 'node:crypto';
import { KubeObject, ObjectStore } from '../kube';

/** Records a core/v1 Event about an object, as Crossplane's and ArgoCD's controllers do. */
export function recordEvent(
  store: ObjectStore,
  about: KubeObject,
  event: {
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    component: string;
  },
) {
  const now = new Date().toISOString();
  const namespace = about.metadata.namespace ?? 'default';
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`,
      namespace,
    },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      name: about.metadata.name,
      namespace: about.metadata.namespace,
      uid: about.metadata.uid,
      resourceVersion: about.metadata.resourceVersion,
    },
    type: event.type,
    reason: event.reason,
    message: event.message,
    source: { component: event.component },
    reportingComponent: event.component,
    firstTimestamp: now,
    lastTimestamp: now,
    eventTime: null,
    count: 1,
  });
}
