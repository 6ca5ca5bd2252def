import { parse } from 'yaml';
import { VmClaimSpec } from '@sankofa/plugin-sankofa-common';
import { renderClaim, renderEntity } from './manifests';
import {
  annotatePullRequest,
  annotateVmEntities,
} from './pullRequestAnnotation';

const URL_1 = 'http://localhost:3030/platform/sankofa-gitops/pulls/1';
const URL_2 = 'https://github.com/sankofa/gitops/pull/2';
const vm = { cluster: 'sankofa-east', namespace: 'team-alpha', name: 'web-1' };
const spec: VmClaimSpec = {
  site: 'accra',
  image: 'debian-12',
  sizeClass: 'small',
  cpu: 2,
  memoryMiB: 2048,
  diskGiB: 20,
  network: { bridge: 'vmbr0' },
  sshKeys: [],
  powerState: 'Running',
};

const annotationsOf = (text: string) => parse(text).metadata.annotations;

describe('annotatePullRequest', () => {
  it('adds the annotation to a rendered VM entity and keeps everything else', () => {
    const entity = renderEntity(vm, spec);
    const text = annotatePullRequest(entity, URL_1)!;
    expect(annotationsOf(text)).toEqual({
      ...annotationsOf(entity),
      'sankofa.io/pull-request': URL_1,
    });
    // Only the one line is new.
    const added = text.split('\n').filter(l => !entity.split('\n').includes(l));
    expect(added).toEqual([`    sankofa.io/pull-request: ${URL_1}`]);
  });

  it('keeps comments and key order, and replaces another PR URL', () => {
    const text = [
      '# requested through the portal',
      'kind: Resource',
      'apiVersion: backstage.io/v1alpha1',
      'metadata:',
      '  name: web-1 # the VM',
      '  annotations:',
      `    sankofa.io/pull-request: ${URL_1}`,
      '    sankofa.io/site: accra',
      'spec:',
      '  type: virtual-machine',
      '',
    ].join('\n');
    expect(annotatePullRequest(text, URL_2)).toBe(text.replace(URL_1, URL_2));
  });

  it('creates missing or empty annotations', () => {
    for (const annotations of ['', '  annotations:\n']) {
      const text = `kind: Resource\nmetadata:\n  name: web-1\n${annotations}spec:\n  type: virtual-machine\n`;
      expect(annotationsOf(annotatePullRequest(text, URL_1)!)).toEqual({
        'sankofa.io/pull-request': URL_1,
      });
    }
  });

  it('answers undefined when there is nothing to change', () => {
    const entity = annotatePullRequest(renderEntity(vm, spec), URL_1)!;
    expect(annotatePullRequest(entity, URL_1)).toBeUndefined();
    const claim = renderClaim(
      {
        apiVersion: 'sankofa.io/v1alpha1',
        kind: 'VirtualMachine',
        plural: 'virtualmachines',
        mode: 'claim',
      },
      vm,
      spec,
    );
    for (const text of [
      claim,
      entity.replace('virtual-machine', 'database'),
      entity.replace('kind: Resource', 'kind: Component'),
      `${entity}---\n${entity}`,
      'kind: Resource\nmetadata: web-1\nspec:\n  type: virtual-machine\n',
      'kind: Resource\nmetadata:\n  annotations: x\nspec:\n  type: virtual-machine\n',
      'kind: [Resource\n',
      '- a list\n',
    ]) {
      expect(annotatePullRequest(text, URL_2)).toBeUndefined();
    }
  });
});

describe('annotateVmEntities', () => {
  it('returns only the YAML VM entities that change', () => {
    const entity = renderEntity(vm, spec);
    const changed = annotateVmEntities(
      {
        'catalog/team-alpha/web-1.yaml': Buffer.from(entity),
        'catalog/team-alpha/web-1.txt': Buffer.from(entity),
        'catalog/team-alpha/bin.yaml': Buffer.from([0, 1, 2]),
        'catalog/team-alpha/web-2.yml': Buffer.from(
          annotatePullRequest(entity, URL_1)!,
        ),
      },
      URL_1,
    );
    expect(Object.keys(changed)).toEqual(['catalog/team-alpha/web-1.yaml']);
    expect(
      annotationsOf(changed['catalog/team-alpha/web-1.yaml'].toString())[
        'sankofa.io/pull-request'
      ],
    ).toBe(URL_1);
  });
});
