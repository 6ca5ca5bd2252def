/** Where a claim lives: the cluster from `sankofa.clusters`, its namespace and its name. */
export interface ClaimRef {
  cluster: string;
  namespace: string;
  name: string;
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a Kubernetes DNS-1123 label (namespaces, our VM names): at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** True for a Kubernetes DNS-1123 subdomain (most object names): at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/**
 * Parses the `sankofa.io/vm-claim` annotation value `<cluster>/<namespace>/<name>`.
 * Throws a TypeError naming the part that is wrong.
 */
export function parseClaimRef(value: string): ClaimRef {
  const parts = value.split('/');
  if (parts.length !== 3) {
    throw new TypeError(
      `claim reference "${value}" must have the form <cluster>/<namespace>/<name>`,
    );
  }
  const [cluster, namespace, name] = parts;
  if (!cluster || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(cluster)) {
    throw new TypeError(`claim reference "${value}": invalid cluster name`);
  }
  if (!isDns1123Label(namespace)) {
    throw new TypeError(
      `claim reference "${value}": namespace must be a DNS-1123 label`,
    );
  }
  if (!isDns1123Subdomain(name)) {
    throw new TypeError(
      `claim reference "${value}": name must be a DNS-1123 subdomain`,
    );
  }
  return { cluster, namespace, name };
}

export function stringifyClaimRef(ref: ClaimRef): string {
  return `${ref.cluster}/${ref.namespace}/${ref.name}`;
}
