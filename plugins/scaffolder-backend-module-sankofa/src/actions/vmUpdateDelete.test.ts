import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createMockActionContext } from '../__testUtils__/createMockActionContext';
import { memoryReader, testSetup } from '../__testUtils__/fixtures';
import { createVmDeleteAction } from './vmDelete';
import { examples as deleteExamples } from './vmDelete.examples';
import { createVmUpdateAction } from './vmUpdate';
import { examples as updateExamples } from './vmUpdate.examples';

const BASE = 'http://localhost:3030/platform/sankofa-gitops/src/branch/main';
// A claim as a person may have edited it: comments and field order must survive an update.
const CLAIM = `# web-1: front end of team-alpha
apiVersion: sankofa.io/v1alpha1
kind: VirtualMachine
metadata:
  name: web-1
  namespace: team-alpha
  labels:
    sankofa.io/owner: team-alpha
    sankofa.io/site: accra
spec:
  site: accra
  image: debian-12
  sizeClass: small
  cpu: 2 # two cores are plenty
  memoryMiB: 2048
  diskGiB: 20
  network:
    bridge: vmbr0
  sshKeys: []
  powerState: Running
`;
const repo = () => ({
  [`${BASE}/clusters/sankofa-east/kustomization.yaml`]: stringify({
    resources: ['vms/team-alpha/web-1.yaml', 'vms/team-beta/db-1.yaml'],
  }),
  [`${BASE}/clusters/sankofa-east/vms/team-alpha/web-1.yaml`]: CLAIM,
  [`${BASE}/catalog/team-alpha/web-1.yaml`]: 'kind: Resource\n',
  [`${BASE}/catalog-info.yaml`]: stringify({
    kind: 'Location',
    spec: {
      targets: [
        './catalog/team-alpha/web-1.yaml',
        './catalog/team-beta/db-1.yaml',
      ],
    },
  }),
});

function actions() {
  const { settings, integrations } = testSetup();
  const options = { settings, integrations, reader: memoryReader(repo()) };
  return {
    update: createVmUpdateAction(options),
    remove: createVmDeleteAction(options),
  };
}

async function run(kind: 'update' | 'remove', input: Record<string, unknown>) {
  const ctx = createMockActionContext({ input: input as any });
  await actions()[kind].handler(ctx as any);
  const read = (p: string) =>
    fs.readFileSync(path.join(ctx.workspacePath, 'gitops', p), 'utf8');
  return { ctx, read, out: ctx.outputs as any };
}

describe('sankofa:vm:update', () => {
  it('changes only the size fields, keeping comments and order', async () => {
    const { read, out } = await run('update', {
      vm: 'resource:team-alpha/web-1',
      sizeClass: 'medium',
    });
    expect(out.files).toEqual([
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
    ]);
    expect(out.branchName).toBe('sankofa/resize/team-alpha/web-1');
    expect(read(out.claimPath)).toBe(
      CLAIM.replace('sizeClass: small', 'sizeClass: medium')
        .replace('cpu: 2 #', 'cpu: 4 #')
        .replace('memoryMiB: 2048', 'memoryMiB: 8192')
        .replace('diskGiB: 20', 'diskGiB: 50'),
    );
  });

  it('powers off through the claim reference', async () => {
    const { read, out } = await run('update', {
      vm: 'sankofa-east/team-alpha/web-1',
      powerState: 'Stopped',
    });
    expect(out.title).toBe('Power off VM team-alpha/web-1');
    expect(parse(read(out.claimPath)).spec.powerState).toBe('Stopped');
  });

  it.each([
    [
      {
        vm: 'resource:team-alpha/web-1',
        sizeClass: 'custom',
        cpu: 2,
        memoryMiB: 2048,
        diskGiB: 10,
      },
      /diskGiB: cannot shrink from 20 to 10 GiB/,
    ],
    [
      {
        vm: 'resource:team-alpha/web-1',
        sizeClass: 'custom',
        cpu: 64,
        memoryMiB: 2048,
        diskGiB: 20,
      },
      /cpu: must be at most 16 on site accra/,
    ],
    [
      { vm: 'resource:team-alpha/web-1', powerState: 'Running' },
      /Nothing to change: team-alpha\/web-1 already has these values/,
    ],
    [{ vm: 'resource:team-alpha/web-1' }, /Nothing to change: give sizeClass/],
    [
      { vm: 'resource:team-alpha/ghost', powerState: 'Stopped' },
      /vm: no VM team-alpha\/ghost is listed/,
    ],
    [
      { vm: 'resource:team-alpha/../x', powerState: 'Stopped' },
      /vm: .* must be a claim reference|DNS-1123/,
    ],
    [
      { vm: 'sankofa-east/Team/web-1', powerState: 'Stopped' },
      /vm: namespace and name .* must be DNS-1123 labels/,
    ],
  ])('refuses %j', async (input, message) => {
    await expect(run('update', input)).rejects.toThrow(message);
  });

  it.each(updateExamples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_d, example) => {
      for (const step of parse(example.example).steps) {
        const { out } = await run('update', step.input);
        expect(out.changes.length).toBeGreaterThan(0);
      }
    },
  );
});

describe('sankofa:vm:delete', () => {
  it('removes the claim and the entity and only their list entries', async () => {
    const { read, out } = await run('remove', {
      vm: 'resource:team-alpha/web-1',
      confirmName: 'web-1',
    });
    expect(out.removedFiles).toEqual([
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      'catalog/team-alpha/web-1.yaml',
    ]);
    expect(
      parse(read('clusters/sankofa-east/kustomization.yaml')).resources,
    ).toEqual(['vms/team-beta/db-1.yaml']);
    expect(parse(read('catalog-info.yaml')).spec.targets).toEqual([
      './catalog/team-beta/db-1.yaml',
    ]);
  });

  it('refuses a wrong confirmation', async () => {
    await expect(
      run('remove', { vm: 'resource:team-alpha/web-1', confirmName: 'web-2' }),
    ).rejects.toThrow(/confirmName: must be "web-1"/);
  });

  it.each(deleteExamples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_d, example) => {
      for (const step of parse(example.example).steps) {
        const { out } = await run('remove', step.input);
        expect(out.removedFiles).toHaveLength(2);
      }
    },
  );
});
