import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadSandboxCrds } from './crds';
import {
  findRepoRoot,
  loadProviderCrds,
  resourceTypesFromCrd,
} from './resources';
import { validateCustomResource } from './validation';
import { crdsFromXrd, readXrdFile } from './xrd';

const root = findRepoRoot();

describe('CRDs of the sandbox', () => {
  it('derives claim and composite CRDs from our XRD like Crossplane', () => {
    const xrd = readXrdFile(
      path.join(root, 'deploy/crossplane/definition.yaml'),
    );
    const [composite, claim] = crdsFromXrd(xrd);
    expect(composite.metadata.name).toBe('xvirtualmachines.sankofa.io');
    expect(composite.spec.scope).toBe('Cluster');
    expect(claim.metadata.name).toBe('virtualmachines.sankofa.io');
    expect(claim.spec.scope).toBe('Namespaced');
    const xSpec =
      composite.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec
        .properties!;
    expect(Object.keys(xSpec)).toEqual(
      expect.arrayContaining([
        'site',
        'cpu',
        'compositionRef',
        'compositionSelector',
        'resourceRefs',
        'claimRef',
        'writeConnectionSecretToRef',
      ]),
    );
    const cSpec =
      claim.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec
        .properties!;
    expect(Object.keys(cSpec)).toEqual(
      expect.arrayContaining([
        'resourceRef',
        'compositionRef',
        'writeConnectionSecretToRef',
      ]),
    );
    expect(cSpec.claimRef).toBeUndefined();
    const claimType = resourceTypesFromCrd(claim)[0];
    expect(claimType).toMatchObject({
      kind: 'VirtualMachine',
      plural: 'virtualmachines',
      namespaced: true,
      statusSubresource: true,
    });
    expect(
      claim.spec.versions[0].schema!.openAPIV3Schema!.properties!.status
        .properties!.conditions.items!.required,
    ).toEqual(['lastTransitionTime', 'reason', 'status', 'type']);
  });

  it("has a Composition whose EnvironmentVM base satisfies the provider's schema", () => {
    const composition = parse(
      fs.readFileSync(
        path.join(root, 'deploy/crossplane/composition.yaml'),
        'utf8',
      ),
    );
    expect(composition.spec.compositeTypeRef).toEqual({
      apiVersion: 'sankofa.io/v1alpha1',
      kind: 'XVirtualMachine',
    });
    const resources = composition.spec.pipeline[0].input.resources;
    expect(resources).toHaveLength(1);
    const base = structuredClone(resources[0].base);
    const crd = loadSandboxCrds().find(
      c =>
        c.metadata.name ===
        'environmentvms.virtualenvironmentvm.proxmoxbpg.crossplane.io',
    )!;
    const schema = crd.spec.versions[0].schema!.openAPIV3Schema!;
    expect(validateCustomResource(schema, base)).toEqual([]);
    // Nothing was pruned (only schema defaults were added): every field in
    // the base is known to the provider.
    expect(base).toMatchObject(resources[0].base);
    expect(base.spec.deletionPolicy).toBe('Delete');
  });

  it('names the missing provider CRD folder plainly', () => {
    expect(() => loadProviderCrds('/nonexistent/provider-proxmox-bpg')).toThrow(
      'provider-proxmox-bpg CRDs not found: /nonexistent/provider-proxmox-bpg does not exist',
    );
    const previous = process.env.SANKOFA_PROVIDER_CRDS_DIR;
    process.env.SANKOFA_PROVIDER_CRDS_DIR = '/nonexistent/override';
    try {
      expect(() => loadSandboxCrds()).toThrow('/nonexistent/override');
    } finally {
      if (previous === undefined) delete process.env.SANKOFA_PROVIDER_CRDS_DIR;
      else process.env.SANKOFA_PROVIDER_CRDS_DIR = previous;
    }
  });
});
