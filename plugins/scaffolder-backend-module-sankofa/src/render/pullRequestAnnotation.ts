import { isMap, isScalar, parseDocument } from 'yaml';
import {
  ANNOTATION_PULL_REQUEST,
  VM_ENTITY_TYPE,
} from '@sankofa/plugin-sankofa-common';

const YAML_OPTIONS = { lineWidth: 0 } as const;

/**
 * Sets `sankofa.io/pull-request` on a VM's catalog entity (kind Resource, spec.type
 * virtual-machine), editing the parsed document so comments and key order stay as they were.
 * Returns undefined when `text` is no such entity (files holding several documents included) or
 * already names `url`, so callers write nothing in those cases.
 */
export function annotatePullRequest(
  text: string,
  url: string,
): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const kind = doc.get('kind');
  if (
    typeof kind !== 'string' ||
    kind.toLowerCase() !== 'resource' ||
    doc.getIn(['spec', 'type']) !== VM_ENTITY_TYPE ||
    !isMap(doc.get('metadata', true))
  ) {
    return undefined;
  }
  const path = ['metadata', 'annotations', ANNOTATION_PULL_REQUEST];
  const annotations = doc.getIn(['metadata', 'annotations'], true);
  if (
    annotations === undefined ||
    (isScalar(annotations) && annotations.value === null)
  ) {
    doc.setIn(
      ['metadata', 'annotations'],
      doc.createNode({ [ANNOTATION_PULL_REQUEST]: url }),
    );
  } else if (!isMap(annotations)) {
    // Something other than a mapping is no entity the catalog would accept; leave it alone.
    return undefined;
  } else if (doc.getIn(path) === url) {
    return undefined;
  } else {
    doc.setIn(path, url);
  }
  return doc.toString(YAML_OPTIONS);
}

/**
 * The files of a change set whose VM entity must change to name the pull request `url`:
 * repository path → new content. Empty when every VM entity already names it.
 */
export function annotateVmEntities(
  files: Record<string, Buffer>,
  url: string,
): Record<string, Buffer> {
  const changed: Record<string, Buffer> = {};
  for (const [repoPath, content] of Object.entries(files)) {
    if (!/\.ya?ml$/i.test(repoPath) || content.includes(0)) continue;
    const text = annotatePullRequest(content.toString('utf8'), url);
    if (text !== undefined) changed[repoPath] = Buffer.from(text, 'utf8');
  }
  return changed;
}
