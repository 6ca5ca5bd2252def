import { z } from 'zod';
import { parseDocument } from 'yaml';
import { isDns1123Label } from '../claimRef';
import type { PowerState } from '../claim';
import {
  CUSTOM_SIZE_CLASS,
  QuotaLimits,
  SankofaSite,
  SankofaSitesPolicy,
} from './policy';
import { sshPublicKeyProblem } from './sshKey';

/** One reason a request was refused: the field (dotted path) and the rule it broke. */
export interface VmRequestIssue {
  field: string;
  rule: string;
}

/** The claim's `spec` as our XRD defines it (Crossplane's own fields aside). */
export interface VmClaimSpec {
  site: string;
  node?: string;
  image: string;
  sizeClass: string;
  cpu: number;
  memoryMiB: number;
  diskGiB: number;
  network: { bridge: string; vlan?: number };
  sshKeys: string[];
  userData?: string;
  powerState: PowerState;
}

/** A request that passed shape and policy checks. */
export interface ValidatedVmRequest {
  name: string;
  /** The owner group's name; also the claim's namespace. */
  owner: string;
  description?: string;
  site: SankofaSite;
  spec: VmClaimSpec;
}

/** Cloud-init user data larger than this is refused (Proxmox snippets stay small). */
export const MAX_USER_DATA_BYTES = 64 * 1024;
export const MAX_SSH_KEYS = 16;
export const MAX_DESCRIPTION_LENGTH = 300;

// Plain YAML 1.1 scalars that older tools read as booleans or null. The `yaml` library quotes
// them, but a name must survive every tool in the chain (kustomize, kubectl, Helm).
const YAML_AMBIGUOUS = /^(y|n|yes|no|on|off|true|false|null)$/;

const optionalText = z.preprocess(
  v => (v === '' || v === null ? undefined : v),
  z.string().optional(),
);
const optionalInt = z.preprocess(
  v => (v === '' || v === null ? undefined : v),
  z.number().int('must be an integer').optional(),
);

/** The shape of a VM request; policy checks come after, in {@link validateVmRequest}. */
export const vmRequestSchema = z.strictObject({
  name: z.string(),
  owner: z.string(),
  site: z.string(),
  node: optionalText,
  image: z.string(),
  sizeClass: optionalText,
  cpu: optionalInt,
  memoryMiB: optionalInt,
  diskGiB: optionalInt,
  network: z.strictObject({
    bridge: z.string(),
    vlan: optionalInt,
  }),
  sshKeys: z.array(z.string()),
  userData: optionalText,
  powerState: z.enum(['Running', 'Stopped']).default('Running'),
  description: optionalText,
});

export type VmRequestInput = z.input<typeof vmRequestSchema>;
export type VmRequest = z.output<typeof vmRequestSchema>;

/** Issues of a zod parse, each naming its field. */
export function zodIssues(error: z.ZodError): VmRequestIssue[] {
  return error.issues
    .map(issue => {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map(key => ({
          field: [...path, key].join('.'),
          rule: 'is not a known field',
        }));
      }
      return [{ field: path.join('.') || '(request)', rule: issue.message }];
    })
    .flat();
}

/** Why `value` cannot be a VM name (a DNS-1123 label that is no YAML keyword). */
export function vmNameProblem(value: string): string | undefined {
  if (!isDns1123Label(value)) {
    return 'must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and "-", starting and ending with a letter or digit';
  }
  if (YAML_AMBIGUOUS.test(value)) {
    return `"${value}" is read as a boolean or null by YAML 1.1 tools; choose another name`;
  }
  return undefined;
}

/**
 * The owner group's name from `team-alpha`, `group:team-alpha` or `group:default/team-alpha`
 * (what OwnerPicker yields). Throws a TypeError with the rule when it is none of these.
 */
export function parseOwnerGroup(value: string): string {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(value);
  if (!match) {
    throw new TypeError(
      'must be a group name or a group entity reference like group:default/team-alpha',
    );
  }
  const [, kind, namespace, name] = match;
  if (kind !== undefined && kind.toLowerCase() !== 'group') {
    throw new TypeError(`must reference a Group, not a ${kind}`);
  }
  if (namespace !== undefined && namespace !== 'default') {
    throw new TypeError('must be a group in the default catalog namespace');
  }
  if (!isDns1123Label(name) || YAML_AMBIGUOUS.test(name)) {
    throw new TypeError(
      'the group name must be a DNS-1123 label (it becomes the claim namespace)',
    );
  }
  return name;
}

/** Checks a single-line text field: printable, no control characters. */
function textProblem(value: string, max: number): string | undefined {
  if (value.length > max) {
    return `must be at most ${max} characters`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) {
    return 'must be a single line without control characters';
  }
  return undefined;
}

/** Why the cloud-init user data is refused, or undefined. */
export function userDataProblem(value: string): string | undefined {
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_USER_DATA_BYTES) {
    return `must be at most ${MAX_USER_DATA_BYTES} bytes (got ${bytes})`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    return 'must be text without control characters';
  }
  if (value.startsWith('#cloud-config')) {
    const doc = parseDocument(value, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      return `is not valid cloud-config YAML: ${
        doc.errors[0].message.split('\n')[0]
      }`;
    }
    const data = doc.toJS();
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      return 'cloud-config must be a YAML mapping';
    }
    return undefined;
  }
  if (value.startsWith('#!')) {
    return undefined;
  }
  return 'must start with "#cloud-config" or "#!" (a script)';
}

export interface SizeInput {
  sizeClass?: string;
  cpu?: number;
  memoryMiB?: number;
  diskGiB?: number;
}

export type ResolvedSize = Pick<
  VmClaimSpec,
  'sizeClass' | 'cpu' | 'memoryMiB' | 'diskGiB'
>;

/** The ranges our XRD accepts for explicit sizes. */
export const XRD_RANGES = {
  cpu: { min: 1, max: 64 },
  memoryMiB: { min: 512, max: 262144 },
  diskGiB: { min: 5, max: 4096 },
} as const;

/**
 * Resolves a size class or explicit values against the site: a named class fixes all three
 * values (explicit ones must agree), `custom` or no class needs all three within the site's
 * limits.
 */
export function resolveSize(
  site: SankofaSite,
  input: SizeInput,
  issues: VmRequestIssue[],
): ResolvedSize | undefined {
  const keys = ['cpu', 'memoryMiB', 'diskGiB'] as const;
  const limitKey = {
    cpu: 'maxCpu',
    memoryMiB: 'maxMemoryMiB',
    diskGiB: 'maxDiskGiB',
  } as const;
  const before = issues.length;
  if (input.sizeClass && input.sizeClass !== CUSTOM_SIZE_CLASS) {
    const cls = site.sizeClasses.find(c => c.name === input.sizeClass);
    if (!cls) {
      issues.push({
        field: 'sizeClass',
        rule: `must be one of ${[
          ...site.sizeClasses.map(c => c.name),
          CUSTOM_SIZE_CLASS,
        ].join(', ')} on site ${site.name}`,
      });
      return undefined;
    }
    for (const key of keys) {
      const given = input[key];
      if (given !== undefined && given !== cls[key]) {
        issues.push({
          field: key,
          rule: `conflicts with size class ${cls.name} (${cls[key]}); use sizeClass "custom" for explicit values`,
        });
      }
    }
    return issues.length === before
      ? {
          sizeClass: cls.name,
          cpu: cls.cpu,
          memoryMiB: cls.memoryMiB,
          diskGiB: cls.diskGiB,
        }
      : undefined;
  }
  const values: Partial<ResolvedSize> = { sizeClass: CUSTOM_SIZE_CLASS };
  for (const key of keys) {
    const value = input[key];
    if (value === undefined) {
      issues.push({
        field: key,
        rule: 'is required when no size class (or "custom") is chosen',
      });
      continue;
    }
    const { min, max } = XRD_RANGES[key];
    const siteMax = site.limits[limitKey[key]];
    if (!Number.isInteger(value) || value < min) {
      issues.push({
        field: key,
        rule: `must be an integer of at least ${min}`,
      });
    } else if (value > Math.min(max, siteMax)) {
      issues.push({
        field: key,
        rule: `must be at most ${Math.min(max, siteMax)} on site ${site.name}`,
      });
    } else {
      values[key] = value;
    }
  }
  return issues.length === before ? (values as ResolvedSize) : undefined;
}

/** The resources one VM takes from its group's quota. */
export interface VmUsage {
  cpu: number;
  memoryMiB: number;
  diskGiB: number;
}

/**
 * Checks that `existing` (the group's other VMs on the site, from the GitOps repo) plus
 * `requested` stay within the group's quota.
 */
export function checkQuota(
  quota: QuotaLimits | undefined,
  group: string,
  siteName: string,
  existing: VmUsage[],
  requested: VmUsage,
): VmRequestIssue[] {
  if (!quota) {
    return [];
  }
  const issues: VmRequestIssue[] = [];
  const total = (key: keyof VmUsage) =>
    existing.reduce((sum, vm) => sum + vm[key], 0) + requested[key];
  if (quota.maxVms !== undefined && existing.length + 1 > quota.maxVms) {
    issues.push({
      field: 'owner',
      rule: `group ${group} already has ${existing.length} VMs on site ${siteName}; its quota is ${quota.maxVms}`,
    });
  }
  const checks = [
    ['cpu', 'maxCpu', 'CPUs'],
    ['memoryMiB', 'maxMemoryMiB', 'MiB of memory'],
    ['diskGiB', 'maxDiskGiB', 'GiB of disk'],
  ] as const;
  for (const [key, limit, unit] of checks) {
    const max = quota[limit];
    if (max !== undefined && total(key) > max) {
      issues.push({
        field: key,
        rule: `would bring group ${group} to ${total(
          key,
        )} ${unit} on site ${siteName}; its quota is ${max}`,
      });
    }
  }
  return issues;
}

/** Where and how big a VM is: the part of a request the site policy governs. */
export interface PlacementInput extends SizeInput {
  node?: string;
  image: string;
  network: { bridge: string; vlan?: number };
}

/**
 * Checks node, image, network and size against one site, pushing an issue per broken rule;
 * returns the resolved size when all of them hold. Shared by the actions and the template form.
 */
export function checkPlacement(
  site: SankofaSite,
  req: PlacementInput,
  issues: VmRequestIssue[],
): ResolvedSize | undefined {
  const before = issues.length;
  if (req.node !== undefined && !site.nodes.includes(req.node)) {
    issues.push({
      field: 'node',
      rule: `must be one of ${site.nodes.join(', ')} on site ${site.name}`,
    });
  }
  if (!site.images.includes(req.image)) {
    issues.push({
      field: 'image',
      rule: `must be one of ${site.images.join(', ')} on site ${site.name}`,
    });
  }
  const network = site.networks.find(n => n.bridge === req.network.bridge);
  if (!network) {
    issues.push({
      field: 'network.bridge',
      rule: `must be one of ${site.networks
        .map(n => n.bridge)
        .join(', ')} on site ${site.name}`,
    });
  } else if (req.network.vlan !== undefined) {
    const vlans = network.vlans ?? [];
    if (!vlans.includes(req.network.vlan)) {
      issues.push({
        field: 'network.vlan',
        rule: vlans.length
          ? `must be one of ${vlans.join(', ')} on ${network.bridge} at site ${
              site.name
            }`
          : `${network.bridge} at site ${site.name} allows no VLAN tag`,
      });
    }
  }
  const size = resolveSize(site, req, issues);
  return issues.length === before ? size : undefined;
}

/**
 * Validates a VM request against the sites policy. Returns every issue at once so a form can
 * show them all; quota needs the repository and is checked separately with {@link checkQuota}.
 */
export function validateVmRequest(
  input: unknown,
  policy: SankofaSitesPolicy,
):
  | { ok: true; value: ValidatedVmRequest }
  | { ok: false; issues: VmRequestIssue[] } {
  const parsed = vmRequestSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: zodIssues(parsed.error) };
  }
  const req = parsed.data;
  const issues: VmRequestIssue[] = [];

  const nameProblem = vmNameProblem(req.name);
  if (nameProblem) issues.push({ field: 'name', rule: nameProblem });

  let owner = '';
  try {
    owner = parseOwnerGroup(req.owner);
  } catch (e) {
    issues.push({ field: 'owner', rule: (e as Error).message });
  }

  if (req.description !== undefined) {
    const problem = textProblem(req.description, MAX_DESCRIPTION_LENGTH);
    if (problem) issues.push({ field: 'description', rule: problem });
  }

  const site = policy.find(s => s.name === req.site);
  if (!site) {
    issues.push({
      field: 'site',
      rule: `must be one of ${policy.map(s => s.name).join(', ')}`,
    });
  }

  if (req.sshKeys.length === 0 || req.sshKeys.length > MAX_SSH_KEYS) {
    issues.push({
      field: 'sshKeys',
      rule: `must hold between 1 and ${MAX_SSH_KEYS} keys`,
    });
  }
  req.sshKeys.forEach((key, i) => {
    const problem = sshPublicKeyProblem(key);
    if (problem) issues.push({ field: `sshKeys[${i}]`, rule: problem });
  });
  if (new Set(req.sshKeys).size !== req.sshKeys.length) {
    issues.push({ field: 'sshKeys', rule: 'must not repeat a key' });
  }

  if (req.userData !== undefined) {
    const problem = userDataProblem(req.userData);
    if (problem) issues.push({ field: 'userData', rule: problem });
  }

  const size = site ? checkPlacement(site, req, issues) : undefined;

  if (issues.length > 0 || !site || !size) {
    return { ok: false, issues };
  }
  const spec: VmClaimSpec = {
    site: site.name,
    ...(req.node !== undefined ? { node: req.node } : {}),
    image: req.image,
    ...size,
    network: {
      bridge: req.network.bridge,
      ...(req.network.vlan !== undefined ? { vlan: req.network.vlan } : {}),
    },
    sshKeys: req.sshKeys,
    ...(req.userData !== undefined ? { userData: req.userData } : {}),
    powerState: req.powerState,
  };
  return {
    ok: true,
    value: {
      name: req.name,
      owner,
      ...(req.description !== undefined
        ? { description: req.description }
        : {}),
      site,
      spec,
    },
  };
}

/** The issues as one sentence per field, e.g. for an InputError. */
export function formatIssues(issues: VmRequestIssue[]): string {
  return issues.map(i => `${i.field}: ${i.rule}`).join('; ');
}
