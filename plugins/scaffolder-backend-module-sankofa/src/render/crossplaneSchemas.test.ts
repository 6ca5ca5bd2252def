import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { VmClaimSpec } from '@sankofa/plugin-sankofa-common';
import { DEFAULT_GITOPS } from '../config';
import { renderClaim } from './manifests';

// Repository-root relative, as the contract says; SANKOFA_PROVIDER_CRDS_DIR overrides.
const repoRoot = path.resolve(__dirname, '../../../..');
const xrdPath = path.join(repoRoot, 'deploy/crossplane/definition.yaml');
const compositionPath = path.join(
  repoRoot,
  'deploy/crossplane/composition.yaml',
);
const crdDir =
  process.env.SANKOFA_PROVIDER_CRDS_DIR ??
  path.resolve(repoRoot, '../shared/reference/provider-proxmox-bpg');
const crdPath = path.join(
  crdDir,
  'virtualenvironmentvm.proxmoxbpg.crossplane.io_environmentvms.yaml',
);

function readYaml(file: string) {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is absent; the schema test needs it`);
  }
  return parse(fs.readFileSync(file, 'utf8'));
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

function validator(schema: object) {
  const validate = ajv.compile(schema);
  return (value: unknown) => {
    const ok = validate(value);
    return ok
      ? []
      : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
  };
}

const settings = {
  apiVersion: 'sankofa.io/v1alpha1',
  kind: 'VirtualMachine',
  plural: 'virtualmachines',
  mode: 'claim' as const,
};
const vm = { cluster: 'sankofa-east', namespace: 'team-alpha', name: 'web-1' };
const specs: VmClaimSpec[] = [
  {
    site: 'accra',
    image: 'debian-12',
    sizeClass: 'small',
    cpu: 2,
    memoryMiB: 2048,
    diskGiB: 20,
    network: { bridge: 'vmbr0' },
    sshKeys: [
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa',
    ],
    powerState: 'Running',
  },
  {
    site: 'kumasi',
    node: 'pve-kumasi-2',
    image: 'ubuntu-24.04',
    sizeClass: 'custom',
    cpu: 6,
    memoryMiB: 12288,
    diskGiB: 80,
    network: { bridge: 'vmbr0', vlan: 20 },
    sshKeys: [],
    userData: '#cloud-config\npackages: [postgresql]\n',
    powerState: 'Stopped',
  },
];

/** Field path `a.b[0].c` or `metadata.labels[sankofa.io/site]` → keys. */
function keys(fieldPath: string): Array<string | number> {
  return [...fieldPath.matchAll(/([^.[\]]+)|\[([^\]]+)\]/g)].map(m => {
    if (m[1] !== undefined) return m[1];
    return /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
  });
}
function getIn(obj: any, at: Array<string | number>) {
  return at.reduce((o, k) => (o === undefined ? undefined : o[k]), obj);
}
function setIn(obj: any, at: Array<string | number>, value: unknown) {
  let o = obj;
  at.slice(0, -1).forEach((k, i) => {
    o[k] ??= typeof at[i + 1] === 'number' ? [] : {};
    o = o[k];
  });
  o[at[at.length - 1]] = value;
}

/** Applies the Composition's FromCompositeFieldPath patches the way function-patch-and-transform does. */
function compose(composite: any) {
  const composition = readYaml(compositionPath);
  const step = composition.spec.pipeline[0];
  const resource = step.input.resources[0];
  const out = structuredClone(resource.base);
  for (const patch of resource.patches) {
    if (patch.type !== 'FromCompositeFieldPath') continue;
    let value = getIn(composite, keys(patch.fromFieldPath));
    if (value === undefined) continue;
    for (const t of patch.transforms ?? []) {
      if (t.type === 'string' && t.string.type === 'Format') {
        value = t.string.fmt.replace('%s', String(value));
      } else if (t.type === 'map') {
        value = t.map[String(value)];
      } else {
        throw new Error(`transform ${t.type} not modelled by this test`);
      }
    }
    setIn(out, keys(patch.toFieldPath), value);
  }
  return out;
}

describe('rendered claims against the Crossplane schemas', () => {
  const xrd = readYaml(xrdPath);
  const version = xrd.spec.versions.find((v: any) => v.name === 'v1alpha1');
  const validateClaim = validator(version.schema.openAPIV3Schema);
  const crd = readYaml(crdPath);
  const validateMr = validator(
    crd.spec.versions.find((v: any) => v.name === 'v1alpha1').schema
      .openAPIV3Schema,
  );

  it.each(specs.map(s => [s.site, s] as const))(
    'validates the claim for %s against the XRD and its composed EnvironmentVM against the provider CRD',
    (_site, spec) => {
      const claim = parse(renderClaim(settings, vm, spec));
      expect(`${xrd.spec.group}/${version.name}`).toBe(claim.apiVersion);
      expect(xrd.spec.claimNames.kind).toBe(claim.kind);
      expect(validateClaim(claim)).toEqual([]);

      const mr = compose(claim);
      expect(mr.kind).toBe('EnvironmentVM');
      expect(mr.spec.forProvider.cpu[0].cores).toBe(spec.cpu);
      expect(mr.spec.forProvider.disk[0].importFrom).toBe(
        `local:import/${spec.image}.qcow2`,
      );
      expect(mr.spec.forProvider.started).toBe(spec.powerState === 'Running');
      expect(validateMr(mr)).toEqual([]);
    },
  );

  it('the XRD refuses what our policy refuses too (the test can fail)', () => {
    const claim = parse(
      renderClaim(settings, vm, {
        ...specs[0],
        cpu: 0,
        powerState: 'Paused' as any,
      }),
    );
    expect(validateClaim(claim)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/spec\/cpu must be >= 1/),
        expect.stringMatching(
          /\/spec\/powerState must be equal to one of the allowed values/,
        ),
      ]),
    );
    const mr = compose(claim);
    mr.spec.forProvider.cpu[0].cores = 'two';
    expect(validateMr(mr)).toEqual(
      expect.arrayContaining([expect.stringMatching(/cores must be number/)]),
    );
  });

  it('keeps the default paths of the shared contract', () => {
    expect(DEFAULT_GITOPS.pathTemplate).toBe(
      'clusters/{{cluster}}/vms/{{namespace}}/{{name}}.yaml',
    );
    expect(parseAllDocuments(fs.readFileSync(xrdPath, 'utf8'))).toHaveLength(1);
  });
});
