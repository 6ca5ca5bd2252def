import { ResourceType } from './resources';

/** `/api`: the legacy core group's versions. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(types: ResourceType[], group: string) {
  const versions = [
    ...new Set(types.filter(t => t.group === group).map(t => t.version)),
  ];
  return versions.map(version => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
}

function apiGroup(types: ResourceType[], group: string) {
  const versions = groupVersions(types, group);
  return {
    name: group,
    versions,
    preferredVersion: versions[0],
  };
}

/** `/apis`: every named group served. */
export function apiGroupList(types: ResourceType[]) {
  const groups = [...new Set(types.map(t => t.group).filter(g => g))].sort();
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(g => apiGroup(types, g)),
  };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function apiGroupDocument(types: ResourceType[], group: string) {
  if (!types.some(t => t.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(types, group) };
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const matching = types.filter(
    t => t.group === group && t.version === version,
  );
  if (matching.length === 0) return undefined;
  const resources = matching.flatMap(t => {
    const main: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length > 0) main.shortNames = t.shortNames;
    if (t.categories.length > 0) main.categories = t.categories;
    const out = [main];
    if (t.statusSubresource && t.verbs.includes('update')) {
      out.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    return out;
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
