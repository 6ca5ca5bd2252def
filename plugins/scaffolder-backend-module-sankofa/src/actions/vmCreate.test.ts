import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '../__testUtils__/createMockActionContext';
import {
  KEY_ED25519,
  memoryReader,
  testSetup,
} from '../__testUtils__/fixtures';
import { createVmCreateAction } from './vmCreate';
import { examples } from './vmCreate.examples';

const BASE = 'http://localhost:3030/platform/sankofa-gitops/src/branch/main';
const KUSTOMIZATION = `# Synced by ArgoCD Application sankofa-sankofa-east.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespaces.yaml # keep me
`;
const LOCATION = stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'sankofa-gitops-vms' },
  spec: { targets: [] },
});

function claimText(namespace: string, name: string, cpu: number) {
  return stringify({
    apiVersion: 'sankofa.io/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name, namespace },
    spec: { site: 'accra', cpu, memoryMiB: 2048, diskGiB: 20 },
  });
}

function setup(extra: Record<string, string> = {}) {
  const { settings, integrations } = testSetup();
  const reader = memoryReader({
    [`${BASE}/clusters/sankofa-east/kustomization.yaml`]: KUSTOMIZATION,
    [`${BASE}/catalog-info.yaml`]: LOCATION,
    ...extra,
  });
  const action = createVmCreateAction({ settings, reader, integrations });
  return { action, reader };
}

const request = {
  name: 'web-1',
  owner: 'group:default/team-alpha',
  site: 'accra',
  image: 'debian-12',
  sizeClass: 'small',
  network: { bridge: 'vmbr0', vlan: 10 },
  sshKeys: [KEY_ED25519],
};

async function run(
  input: Record<string, unknown>,
  extra?: Record<string, string>,
) {
  const { action } = setup(extra);
  const ctx = createMockActionContext({ input: input as any });
  await action.handler(ctx as any);
  const read = (p: string) =>
    fs.readFileSync(path.join(ctx.workspacePath, 'gitops', p), 'utf8');
  return { ctx, read };
}

describe('sankofa:vm:create', () => {
  it('renders the claim, the kustomization entry, the entity and the location target', async () => {
    const { ctx, read } = await run(request);
    expect(ctx.outputs).toMatchObject({
      claimPath: 'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      kustomizationPath: 'clusters/sankofa-east/kustomization.yaml',
      entityPath: 'catalog/team-alpha/web-1.yaml',
      catalogInfoPath: 'catalog-info.yaml',
      claimRef: 'sankofa-east/team-alpha/web-1',
      entityRef: 'resource:team-alpha/web-1',
      entityUrl: 'http://localhost:3000/catalog/team-alpha/resource/web-1',
      branchName: 'sankofa/create/team-alpha/web-1',
      removedFiles: [],
    });
    expect(
      parse(read('clusters/sankofa-east/vms/team-alpha/web-1.yaml')),
    ).toEqual({
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'VirtualMachine',
      metadata: {
        name: 'web-1',
        namespace: 'team-alpha',
        labels: {
          'sankofa.io/owner': 'team-alpha',
          'sankofa.io/site': 'accra',
        },
      },
      spec: {
        site: 'accra',
        image: 'debian-12',
        sizeClass: 'small',
        cpu: 2,
        memoryMiB: 2048,
        diskGiB: 20,
        network: { bridge: 'vmbr0', vlan: 10 },
        sshKeys: [KEY_ED25519],
        powerState: 'Running',
      },
    });
    // The rest of the kustomization, comments included, is unchanged.
    expect(read('clusters/sankofa-east/kustomization.yaml')).toBe(
      `${KUSTOMIZATION}  - vms/team-alpha/web-1.yaml\n`,
    );
    expect(parse(read('catalog/team-alpha/web-1.yaml'))).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'web-1',
        namespace: 'team-alpha',
        title: 'web-1',
        description: 'Virtual machine web-1 on Proxmox site accra',
        annotations: {
          'sankofa.io/vm-claim': 'sankofa-east/team-alpha/web-1',
          'sankofa.io/site': 'accra',
          'sankofa.io/loki-labels': 'vm=web-1,site=accra',
        },
        tags: ['proxmox', 'accra'],
      },
      spec: {
        type: 'virtual-machine',
        owner: 'group:default/team-alpha',
        system: 'system:default/sankofa-cloud',
      },
    });
    expect(parse(read('catalog-info.yaml')).spec.targets).toEqual([
      './catalog/team-alpha/web-1.yaml',
    ]);
    expect(ctx.outputs.files).toHaveLength(4);
  });

  it('creates the kustomization when the cluster has none yet', async () => {
    const { read } = await run({ ...request, site: 'tamale' });
    expect(parse(read('clusters/sankofa-west/kustomization.yaml'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['vms/team-alpha/web-1.yaml'],
    });
  });

  it('renders a namespaced XR in namespacedXR mode', async () => {
    const { settings, integrations } = testSetup();
    settings.claim = {
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'XVirtualMachine',
      plural: 'xvirtualmachines',
      mode: 'namespacedXR',
      compositionName: 'xvirtualmachines.proxmox-bpg.sankofa.io',
    };
    const action = createVmCreateAction({
      settings,
      integrations,
      reader: memoryReader({}),
    });
    const ctx = createMockActionContext({ input: request as any });
    await action.handler(ctx as any);
    const claim = parse(
      fs.readFileSync(
        path.join(ctx.workspacePath, 'gitops', ctx.outputs.claimPath as string),
        'utf8',
      ),
    );
    expect(claim.kind).toBe('XVirtualMachine');
    expect(claim.spec.crossplane).toEqual({
      compositionRef: { name: 'xvirtualmachines.proxmox-bpg.sankofa.io' },
    });
  });

  it('refuses a VM that already exists', async () => {
    await expect(
      run(request, {
        [`${BASE}/clusters/sankofa-east/vms/team-alpha/web-1.yaml`]: claimText(
          'team-alpha',
          'web-1',
          2,
        ),
      }),
    ).rejects.toThrow(/name: a VM team-alpha\/web-1 already exists/);
  });

  it('counts the group quota from the claims in the repository', async () => {
    const kustomization = `${KUSTOMIZATION}  - vms/team-beta/a.yaml\n  - vms/team-beta/b.yaml\n  - vms/team-alpha/c.yaml\n`;
    const files = {
      [`${BASE}/clusters/sankofa-east/kustomization.yaml`]: kustomization,
      [`${BASE}/clusters/sankofa-east/vms/team-beta/a.yaml`]: claimText(
        'team-beta',
        'a',
        2,
      ),
      [`${BASE}/clusters/sankofa-east/vms/team-beta/b.yaml`]: claimText(
        'team-beta',
        'b',
        2,
      ),
    };
    await expect(
      run({ ...request, owner: 'team-beta' }, files),
    ).rejects.toThrow(
      /owner: group team-beta already has 2 VMs on site accra; its quota is 2/,
    );
    // On another site of the same cluster the group has no VMs yet.
    await expect(
      run(
        { ...request, owner: 'team-beta', site: 'kumasi', sizeClass: 'large' },
        files,
      ),
    ).resolves.toBeDefined();
    // ... but 8 CPUs is the whole quota, and 10 is over it.
    await expect(
      run(
        {
          ...request,
          owner: 'team-beta',
          site: 'kumasi',
          sizeClass: 'custom',
          cpu: 10,
          memoryMiB: 1024,
          diskGiB: 10,
        },
        files,
      ),
    ).rejects.toThrow(/cpu: would bring group team-beta to 10 CPUs/);
  });

  const corpus: Array<[string, Record<string, unknown>, RegExp]> = [
    ['path traversal', { name: '../x' }, /name: must be a DNS-1123 label/],
    ['a slash', { name: 'a/b' }, /name: must be a DNS-1123 label/],
    [
      'YAML boolean',
      { name: 'yes' },
      /name: "yes" is read as a boolean or null/,
    ],
    [
      'YAML null',
      { name: 'null' },
      /name: "null" is read as a boolean or null/,
    ],
    ['YAML alias', { name: '*anchor' }, /name: must be a DNS-1123 label/],
    ['flow mapping', { name: '{}' }, /name: must be a DNS-1123 label/],
    ['a quote', { name: '"' }, /name: must be a DNS-1123 label/],
    [
      'a newline',
      { name: 'web\nkind: Secret' },
      /name: must be a DNS-1123 label/,
    ],
    ['unicode look-alike', { name: 'wеb-1' }, /name: must be a DNS-1123 label/],
    [
      'too long',
      { name: 'a'.repeat(64) },
      /name: must be a DNS-1123 label: at most 63/,
    ],
    [
      'owner traversal',
      { owner: 'group:default/../x' },
      /owner: must be a group name/,
    ],
    [
      'owner YAML',
      { owner: 'null' },
      /owner: the group name must be a DNS-1123 label/,
    ],
    [
      'site injection',
      { site: 'accra\n' },
      /site: must be one of accra, kumasi, tamale/,
    ],
    [
      'image look-alike',
      { image: 'debіan-12' },
      /image: must be one of debian-12, ubuntu-24.04 on site accra/,
    ],
    [
      'node of another site',
      { node: 'pve-tamale-1' },
      /node: must be one of pve-accra-1/,
    ],
    [
      'unknown bridge',
      { network: { bridge: 'vmbr1' } },
      /network.bridge: must be one of vmbr0/,
    ],
    [
      'forbidden VLAN',
      { network: { bridge: 'vmbr0', vlan: 4000 } },
      /network.vlan: must be one of 10, 20, 30/,
    ],
    [
      'CPU over the site limit',
      { sizeClass: 'custom', cpu: 32, memoryMiB: 2048, diskGiB: 20 },
      /cpu: must be at most 16 on site accra/,
    ],
    [
      'disk over the site limit',
      { sizeClass: 'custom', cpu: 2, memoryMiB: 2048, diskGiB: 501 },
      /diskGiB: must be at most 500 on site accra/,
    ],
    [
      'memory below the XRD minimum',
      { sizeClass: 'custom', cpu: 2, memoryMiB: 100, diskGiB: 20 },
      /memoryMiB: must be an integer of at least 512/,
    ],
    [
      'unsupported image on tamale',
      { site: 'tamale', image: 'ubuntu-24.04' },
      /image: must be one of debian-12 on site tamale/,
    ],
    [
      'SSH key with a second line',
      { sshKeys: [`${KEY_ED25519}\nssh-ed25519 AAAA`] },
      /sshKeys\[0\]: must be a single line/,
    ],
    ['not an SSH key', { sshKeys: ['{}'] }, /sshKeys\[0\]: must have the form/],
    [
      '1 MB user data',
      { userData: `#cloud-config\na: ${'x'.repeat(1024 * 1024)}` },
      /userData: must be at most 65536 bytes/,
    ],
    [
      'unknown field',
      { namespace: 'kube-system' },
      /namespace: is not a known field/,
    ],
  ];
  it.each(corpus)(
    'refuses %s with an InputError naming the field',
    async (_label, patch, rule) => {
      const { action, reader } = setup();
      const ctx = createMockActionContext({
        input: { ...request, ...patch } as any,
      });
      const error = await action.handler(ctx as any).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(rule);
      expect(fs.readdirSync(ctx.workspacePath)).toEqual([]);
      expect(Object.keys(reader.files)).toHaveLength(2);
    },
  );

  it('refuses a targetPath outside the workspace', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { ...request, targetPath: '../elsewhere' } as any,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /targetPath: "..\/elsewhere" must be a relative path inside the repository/,
    );
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_description, example) => {
      const { action } = setup();
      for (const step of parse(example.example).steps) {
        const ctx = createMockActionContext({ input: step.input });
        await action.handler(ctx as any);
        expect(ctx.outputs.files).toHaveLength(4);
      }
    },
  );
});
