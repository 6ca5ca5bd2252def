import { SankofaSitesPolicy } from './policy';
import { sshPublicKeyProblem } from './sshKey';
import {
  MAX_USER_DATA_BYTES,
  checkQuota,
  parseOwnerGroup,
  validateVmRequest,
} from './vmRequest';

const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa';

const sizes = [
  { name: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 },
  { name: 'medium', cpu: 4, memoryMiB: 8192, diskGiB: 50 },
];
const policy: SankofaSitesPolicy = [
  {
    name: 'accra',
    cluster: 'sankofa-east',
    nodes: ['pve-accra-1', 'pve-accra-2'],
    images: ['debian-12', 'ubuntu-24.04'],
    networks: [{ bridge: 'vmbr0', vlans: [10, 20] }],
    sizeClasses: sizes,
    limits: { maxCpu: 8, maxMemoryMiB: 16384, maxDiskGiB: 200 },
  },
  {
    name: 'tamale',
    cluster: 'sankofa-west',
    nodes: ['pve-tamale-1'],
    images: ['debian-12'],
    networks: [{ bridge: 'vmbr0' }],
    sizeClasses: sizes,
    limits: { maxCpu: 4, maxMemoryMiB: 8192, maxDiskGiB: 100 },
  },
];

const base = {
  name: 'web-1',
  owner: 'group:default/team-alpha',
  site: 'accra',
  image: 'debian-12',
  sizeClass: 'small',
  network: { bridge: 'vmbr0', vlan: 10 },
  sshKeys: [ED25519],
};

function issuesOf(patch: Record<string, unknown>) {
  const result = validateVmRequest({ ...base, ...patch }, policy);
  if (result.ok) {
    throw new Error(`expected issues for ${JSON.stringify(patch)}`);
  }
  return result.issues;
}

describe('validateVmRequest', () => {
  it('resolves a size class and the owner group', () => {
    const result = validateVmRequest(base, policy);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'web-1',
        owner: 'team-alpha',
        spec: {
          site: 'accra',
          image: 'debian-12',
          sizeClass: 'small',
          cpu: 2,
          memoryMiB: 2048,
          diskGiB: 20,
          network: { bridge: 'vmbr0', vlan: 10 },
          sshKeys: [ED25519],
          powerState: 'Running',
        },
      }),
    });
  });

  it('accepts explicit sizes within the site limits as custom', () => {
    const result = validateVmRequest(
      { ...base, sizeClass: undefined, cpu: 8, memoryMiB: 16384, diskGiB: 200 },
      policy,
    );
    expect(result.ok && result.value.spec.sizeClass).toBe('custom');
  });

  it.each([
    ['../x', 'name', /DNS-1123/],
    ['a/b', 'name', /DNS-1123/],
    ['yes', 'name', /YAML 1.1/],
    ['null', 'name', /YAML 1.1/],
    ['*anchor', 'name', /DNS-1123/],
    ['{}', 'name', /DNS-1123/],
    ['"', 'name', /DNS-1123/],
    ['web\n1', 'name', /DNS-1123/],
    ['wеb-1', 'name', /DNS-1123/], // Cyrillic "е"
    ['a'.repeat(64), 'name', /at most 63/],
  ])('refuses the name %j', (name, field, rule) => {
    expect(issuesOf({ name })).toEqual([
      { field, rule: expect.stringMatching(rule) },
    ]);
  });

  it.each([
    [{ site: 'lagos' }, 'site', /one of accra, tamale/],
    [
      { site: 'tamale', image: 'ubuntu-24.04', network: { bridge: 'vmbr0' } },
      'image',
      /debian-12 on site tamale/,
    ],
    [{ node: 'pve-kumasi-1' }, 'node', /pve-accra-1/],
    [{ network: { bridge: 'vmbr9' } }, 'network.bridge', /vmbr0/],
    [{ network: { bridge: 'vmbr0', vlan: 30 } }, 'network.vlan', /10, 20/],
    [{ sizeClass: 'huge' }, 'sizeClass', /small, medium, custom/],
    [{ sizeClass: 'small', cpu: 4 }, 'cpu', /conflicts with size class small/],
    [
      { sizeClass: 'custom', cpu: 9, memoryMiB: 1024, diskGiB: 20 },
      'cpu',
      /at most 8 on site accra/,
    ],
    [
      { sizeClass: 'custom', cpu: 2, memoryMiB: 1024 },
      'diskGiB',
      /is required/,
    ],
    [
      { sizeClass: 'custom', cpu: 2.5, memoryMiB: 1024, diskGiB: 20 },
      'cpu',
      /integer/,
    ],
    [{ owner: 'user:default/kofi' }, 'owner', /Group/],
    [{ owner: 'group:other/team-alpha' }, 'owner', /default catalog namespace/],
    [{ owner: 'Team_Alpha' }, 'owner', /DNS-1123/],
    [{ sshKeys: [] }, 'sshKeys', /between 1 and/],
    [{ sshKeys: ['ssh-ed25519 AAAA'] }, 'sshKeys[0]', /too short|truncated/],
    [{ sshKeys: [`${ED25519}\nssh-rsa AAAA`] }, 'sshKeys[0]', /single line/],
    [
      { sshKeys: [ED25519.replace('ssh-ed25519', 'ssh-rsa')] },
      'sshKeys[0]',
      /encodes "ssh-ed25519"/,
    ],
    [
      { userData: '#cloud-config\nusers: [' },
      'userData',
      /not valid cloud-config/,
    ],
    [{ userData: '#cloud-config\n- a\n- b\n' }, 'userData', /mapping/],
    [{ userData: 'rm -rf /' }, 'userData', /must start with/],
    [
      { userData: `#!/bin/sh\n${'x'.repeat(1024 * 1024)}` },
      'userData',
      new RegExp(`at most ${MAX_USER_DATA_BYTES} bytes`),
    ],
    [{ description: 'two\nlines' }, 'description', /single line/],
    [{ powerState: 'Paused' }, 'powerState', /Running|Stopped/],
    [{ extra: 1 }, 'extra', /not a known field/],
  ])('refuses a request breaking a rule (case %#)', (patch, field, rule) => {
    expect(issuesOf(patch)).toEqual(
      expect.arrayContaining([{ field, rule: expect.stringMatching(rule) }]),
    );
  });

  it('reports every issue at once', () => {
    const fields = issuesOf({
      name: 'X',
      image: 'arch',
      sshKeys: ['nope'],
    }).map(i => i.field);
    expect(fields).toEqual(['name', 'sshKeys[0]', 'image']);
  });
});

describe('parseOwnerGroup', () => {
  it.each(['team-alpha', 'group:team-alpha', 'group:default/team-alpha'])(
    'reads %s',
    value => expect(parseOwnerGroup(value)).toBe('team-alpha'),
  );
});

describe('sshPublicKeyProblem', () => {
  it('accepts an RSA key without comment', () => {
    const rsa =
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC8u1t0XuVqzs/+wLsHD6EGDJry5hcxmmv19alkONZL0aJX5ZPW2PP9jKLeCAuhk0lMYQYa2WI+/x5pWhjn1w/b5XXsdZmPSJWMqEQ36e2sEzz9ioO8sl42V0dbNEUyQPmzfQDUh1fZRMSZDGkxWrjqFT2rBxNSP63YS/MfmowkDmARCa+bMdbb84LU+IYZhTRXFzQQBKScfzsi2/hMZ35rbq3MxXHx+wpEwEyWUgq036VQtRMvE2WdcQg1clEzB6vj/ETSQIINSPoT7eaMH0LYl0T3ZVPN/ABKLCW3L4gmUv84Y1p4xDWZA3FPEPg0Gx2Eo9p00c4xZb+mBIrxAOcN';
    expect(sshPublicKeyProblem(rsa)).toBeUndefined();
  });
  it('refuses a comment with unicode', () => {
    expect(sshPublicKeyProblem(`${ED25519}é`)).toMatch(/printable ASCII/);
  });
});

describe('checkQuota', () => {
  const vm = { cpu: 2, memoryMiB: 2048, diskGiB: 20 };
  it('passes without a quota and within one', () => {
    expect(checkQuota(undefined, 'team-alpha', 'accra', [vm, vm], vm)).toEqual(
      [],
    );
    expect(
      checkQuota({ maxVms: 3, maxCpu: 6 }, 'team-alpha', 'accra', [vm, vm], vm),
    ).toEqual([]);
  });
  it('names the exceeded limit', () => {
    expect(
      checkQuota(
        { maxVms: 2, maxMemoryMiB: 5000 },
        'team-alpha',
        'accra',
        [vm, vm],
        vm,
      ),
    ).toEqual([
      {
        field: 'owner',
        rule: expect.stringMatching(/already has 2 VMs.*quota is 2/),
      },
      {
        field: 'memoryMiB',
        rule: expect.stringMatching(/6144 MiB.*quota is 5000/),
      },
    ]);
  });
});
