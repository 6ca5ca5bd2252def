import { KubeObject, ObjectStore } from '../kube';
import {
  CLAIM_API,
  COMPOSITE_API,
  composeComposite,
  composeEnvironmentVm,
  compositeName,
  MR_API,
  setConditions,
} from './compose';
import { observedFacts, placeOnNode } from './provider';
import { SandboxSite } from './sites';

const OWNERS = ['team-alpha', 'team-beta', 'platform'];
const SIZES = [
  { sizeClass: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 },
  { sizeClass: 'medium', cpu: 4, memoryMiB: 8192, diskGiB: 50 },
  { sizeClass: 'large', cpu: 8, memoryMiB: 16384, diskGiB: 100 },
];

/**
 * Writes `count` finished VM chains (claim → composite → EnvironmentVM, all Ready) straight into
 * the clusters' stores, spread over every site and owner: demo and benchmark data that does not
 * wait for provisioning. Returns how many objects were written.
 */
export function seedVms(
  stores: Map<string, ObjectStore>,
  sites: SandboxSite[],
  count: number,
  options: { prefix?: string; firstVmId?: number } = {},
): number {
  let written = 0;
  const firstVmId = options.firstVmId ?? 10_000;
  for (let i = 0; i < count; i++) {
    const site = sites[i % sites.length];
    const store = stores.get(site.cluster);
    if (!store) continue;
    const owner = OWNERS[i % OWNERS.length];
    store.ensureNamespace(owner);
    const claim = seededClaim(
      `${options.prefix ?? 'vm'}-${String(i).padStart(5, '0')}`,
      owner,
      site,
      i,
    );
    written += writeChain(store, claim, site, firstVmId + i);
  }
  return written;
}

function seededClaim(
  name: string,
  owner: string,
  site: SandboxSite,
  i: number,
): KubeObject {
  return {
    ...CLAIM_API,
    metadata: {
      name,
      namespace: owner,
      labels: { 'sankofa.io/owner': owner, 'sankofa.io/site': site.name },
    },
    spec: {
      site: site.name,
      image: site.images[i % site.images.length],
      ...SIZES[i % SIZES.length],
      network: { bridge: 'vmbr0', vlan: 10 + (i % 3) * 10 },
      sshKeys: [],
      powerState: i % 10 === 9 ? 'Stopped' : 'Running',
    },
  };
}

function writeChain(
  store: ObjectStore,
  claimBody: KubeObject,
  site: SandboxSite,
  vmId: number,
) {
  const claim = store.create(claimBody);
  const name = compositeName(claim);
  const composite = store.create(composeComposite(claim, name));
  const mr = store.create(
    composeEnvironmentVm(composite, claim, placeOnNode(site, name)),
    {
      keepStatus: true,
    },
  );
  const ready = setConditions(undefined, [
    { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    { type: 'Ready', status: 'True', reason: 'Available' },
  ]);
  const atProvider = observedFacts(site, mr, vmId);
  store.patch(
    { ...MR_API, name },
    { status: { atProvider, conditions: ready } },
    { subresource: 'status' },
  );
  const facts = {
    vmId,
    node: mr.spec.forProvider.nodeName,
    started: atProvider.started,
    ipv4: (atProvider.ipv4Addresses as string[][])
      .flat()
      .filter(ip => ip !== '127.0.0.1'),
    conditions: ready,
  };
  store.patch(
    { ...COMPOSITE_API, name },
    { status: facts },
    { subresource: 'status' },
  );
  store.patch(
    {
      ...CLAIM_API,
      namespace: claim.metadata.namespace,
      name: claim.metadata.name!,
    },
    { spec: { resourceRef: { ...COMPOSITE_API, name } } },
  );
  store.patch(
    {
      ...CLAIM_API,
      namespace: claim.metadata.namespace,
      name: claim.metadata.name!,
    },
    { status: facts },
    { subresource: 'status' },
  );
  return 3;
}
