import { Document, isSeq, parseDocument, stringify, YAMLSeq } from 'yaml';
import {
  ANNOTATION_LOKI_LABELS,
  ANNOTATION_SITE,
  ANNOTATION_VM_CLAIM,
  SANKOFA_LABELS,
  VM_ENTITY_TYPE,
  VmClaimSpec,
  stringifyClaimRef,
} from '@sankofa/plugin-sankofa-common';
import type { ClaimSettings } from '../config';

/** The system every VM entity belongs to (examples/entities.yaml). */
export const VM_SYSTEM = 'system:default/sankofa-cloud';

export interface VmIdentity {
  cluster: string;
  namespace: string;
  name: string;
}

const YAML_OPTIONS = { lineWidth: 0 } as const;

/** The claim (or namespaced XR) as YAML text, produced from an object by the `yaml` library. */
export function renderClaim(
  settings: ClaimSettings,
  vm: VmIdentity,
  spec: VmClaimSpec,
): string {
  const compositionRef = settings.compositionName
    ? { compositionRef: { name: settings.compositionName } }
    : {};
  const claim = {
    apiVersion: settings.apiVersion,
    kind: settings.kind,
    metadata: {
      name: vm.name,
      namespace: vm.namespace,
      labels: {
        [SANKOFA_LABELS.owner]: vm.namespace,
        [SANKOFA_LABELS.site]: spec.site,
      },
    },
    spec:
      settings.mode === 'namespacedXR'
        ? {
            ...spec,
            ...(settings.compositionName ? { crossplane: compositionRef } : {}),
          }
        : { ...spec, ...compositionRef },
  };
  return stringify(claim, YAML_OPTIONS);
}

/** The VM's catalog entity: a Resource of type virtual-machine in the owner's namespace. */
export function renderEntity(
  vm: VmIdentity,
  spec: VmClaimSpec,
  description?: string,
): string {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: vm.name,
      // The claim's namespace keeps VM entities of different groups from colliding.
      namespace: vm.namespace,
      title: vm.name,
      description:
        description ??
        `Virtual machine ${vm.name} on Proxmox site ${spec.site}`,
      annotations: {
        [ANNOTATION_VM_CLAIM]: stringifyClaimRef(vm),
        [ANNOTATION_SITE]: spec.site,
        [ANNOTATION_LOKI_LABELS]: `vm=${vm.name},site=${spec.site}`,
      },
      tags: ['proxmox', spec.site],
    },
    spec: {
      type: VM_ENTITY_TYPE,
      owner: `group:default/${vm.namespace}`,
      system: VM_SYSTEM,
    },
  };
  return stringify(entity, YAML_OPTIONS);
}

function parse(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
  }
  return doc;
}

/** Adds `entry` to the sequence at `seqPath`, leaving the rest of the document unchanged. */
function addToSeq(
  text: string | undefined,
  file: string,
  seqPath: string[],
  entry: string,
  empty: () => unknown,
): { text: string; changed: boolean } {
  const doc = text === undefined ? new Document(empty()) : parse(text, file);
  const node = doc.getIn(seqPath, true);
  if (node === undefined || node === null) {
    doc.setIn(seqPath, doc.createNode([entry]));
    return { text: doc.toString(YAML_OPTIONS), changed: true };
  }
  if (!isSeq(node)) {
    throw new Error(`${file}: ${seqPath.join('.')} is not a list`);
  }
  const seq = node as YAMLSeq;
  if (seq.items.some(item => String((item as any)?.value ?? item) === entry)) {
    return { text: text ?? doc.toString(YAML_OPTIONS), changed: false };
  }
  seq.flow = false;
  seq.add(doc.createNode(entry));
  return { text: doc.toString(YAML_OPTIONS), changed: true };
}

function removeFromSeq(
  text: string,
  file: string,
  seqPath: string[],
  entry: string,
): { text: string; changed: boolean } {
  const doc = parse(text, file);
  const node = doc.getIn(seqPath, true);
  if (!isSeq(node)) {
    return { text, changed: false };
  }
  const seq = node as YAMLSeq;
  const index = seq.items.findIndex(
    item => String((item as any)?.value ?? item) === entry,
  );
  if (index < 0) {
    return { text, changed: false };
  }
  seq.delete(index);
  return { text: doc.toString(YAML_OPTIONS), changed: true };
}

const emptyKustomization = () => ({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  resources: [],
});

const emptyLocation = () => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'sankofa-gitops-vms' },
  spec: { targets: [] },
});

export const kustomization = {
  add: (text: string | undefined, file: string, entry: string) =>
    addToSeq(text, file, ['resources'], entry, emptyKustomization),
  remove: (text: string, file: string, entry: string) =>
    removeFromSeq(text, file, ['resources'], entry),
  entries(text: string, file: string): string[] {
    const seq = parse(text, file).get('resources');
    return isSeq(seq) ? seq.items.map(i => String((i as any)?.value ?? i)) : [];
  },
};

export const catalogLocation = {
  add: (text: string | undefined, file: string, entry: string) =>
    addToSeq(text, file, ['spec', 'targets'], entry, emptyLocation),
  remove: (text: string, file: string, entry: string) =>
    removeFromSeq(text, file, ['spec', 'targets'], entry),
};

/** Parses a claim read from the repository into a Document we can change in place. */
export function parseClaim(text: string, file: string): Document {
  return parse(text, file);
}
