import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readSankofaSettings } from './config';
import { createVmCreateAction } from './actions/vmCreate';
import { createVmUpdateAction } from './actions/vmUpdate';
import { createVmDeleteAction } from './actions/vmDelete';
import { createGitopsPullRequestAction } from './actions/gitopsPullRequest';
import { memoryReader } from './__testUtils__/fixtures';
import { validateVmRequest } from '@sankofa/plugin-sankofa-common';

const repoRoot = path.resolve(__dirname, '../../..');
const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);
const settings = readSankofaSettings(new ConfigReader(appConfig));
const integrations = ScmIntegrations.fromConfig(new ConfigReader(appConfig));
const options = { settings, integrations, reader: memoryReader({}) };
const actions = Object.fromEntries(
  [
    createVmCreateAction(options),
    createVmUpdateAction(options),
    createVmDeleteAction(options),
    createGitopsPullRequestAction({ settings, integrations }),
  ].map(a => [a.id, a]),
);

const location = parse(
  fs.readFileSync(path.join(repoRoot, 'templates/all-templates.yaml'), 'utf8'),
);
const templates = (location.spec.targets as string[]).map(target => ({
  target,
  doc: parse(fs.readFileSync(path.join(repoRoot, 'templates', target), 'utf8')),
}));

describe('templates', () => {
  it('are the four VM templates and registered in app-config.yaml', () => {
    expect(templates.map(t => t.doc.metadata.title)).toEqual([
      'Request a virtual machine',
      'Resize a virtual machine',
      'Power a virtual machine on or off',
      'Decommission a virtual machine',
    ]);
    expect(
      appConfig.catalog.locations.find((l: any) =>
        String(l.target).endsWith('templates/all-templates.yaml'),
      )?.rules,
    ).toEqual([{ allow: ['Template', 'Location'] }]);
  });

  it.each(templates.map(t => [t.target, t.doc] as const))(
    '%s only passes inputs its actions declare',
    (_target, doc) => {
      for (const step of doc.spec.steps) {
        const action = actions[step.action];
        expect(action).toBeDefined();
        const declared = Object.keys((action.schema?.input as any).properties);
        expect(declared).toEqual(
          expect.arrayContaining(Object.keys(step.input)),
        );
      }
      expect(doc.spec.output.links[0].url).toBe(
        '${{ steps.pr.output.pullRequestUrl }}',
      );
    },
  );

  describe('request-vm placement', () => {
    const request = templates[0].doc;
    const fields: { page: any; key: string; schema: any }[] =
      request.spec.parameters.flatMap((page: any) =>
        Object.entries(page.properties).map(([key, schema]) => ({
          page,
          key,
          schema: schema as any,
        })),
      );

    /** `${{ parameters.a.b }}` inputs resolved like the scaffolder does (whole-value expressions). */
    function resolve(value: unknown, parameters: object): unknown {
      if (typeof value === 'string') {
        const m = /^\$\{\{\s*parameters\.([\w.]+)\s*\}\}$/.exec(value);
        return m
          ? m[1].split('.').reduce<any>((o, k) => o?.[k], parameters)
          : value;
      }
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .map(([k, v]) => [k, resolve(v, parameters)])
            .filter(([, v]) => v !== undefined),
        );
      }
      return value;
    }

    it('takes site, node, image, size and network from the SankofaPlacementPicker field, not static enums', () => {
      const placement = fields.filter(
        f => f.schema['ui:field'] === 'SankofaPlacementPicker',
      );
      expect(placement.map(f => f.key)).toEqual(['placement']);
      const { page, schema } = placement[0];
      expect(page.required).toContain('placement');
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties)).toEqual([
        'site',
        'node',
        'image',
        'sizeClass',
        'cpu',
        'memoryMiB',
        'diskGiB',
        'network',
      ]);
      expect(Object.keys(schema.properties.network.properties)).toEqual([
        'bridge',
        'vlan',
      ]);
      // The policy lives in sankofa.sites only: no choice list mirrors it in the template.
      const policyKeys = [
        'site',
        'node',
        'image',
        'sizeClass',
        'bridge',
        'vlan',
      ];
      expect(fields.filter(f => policyKeys.includes(f.key))).toEqual([]);
      expect(JSON.stringify(request.spec.parameters)).not.toMatch(
        /accra|kumasi|tamale|vmbr0|debian-12/,
      );
    });

    it.each([
      [
        'a size class',
        {
          site: 'accra',
          node: 'pve-accra-2',
          image: 'ubuntu-24.04',
          sizeClass: 'medium',
          network: { bridge: 'vmbr0', vlan: 20 },
        },
      ],
      [
        'custom values, untagged',
        {
          site: 'tamale',
          image: 'debian-12',
          sizeClass: 'custom',
          cpu: 3,
          memoryMiB: 3072,
          diskGiB: 30,
          network: { bridge: 'vmbr0' },
        },
      ],
    ])(
      'passes the field value (%s) to sankofa:vm:create as valid inputs',
      async (_name, placement) => {
        const parameters = {
          name: 'web-1',
          owner: 'group:default/team-alpha',
          placement,
          sshKeys: [
            'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa',
          ],
          powerState: 'Running',
        };
        const step = request.spec.steps.find(
          (s: any) => s.action === 'sankofa:vm:create',
        );
        const input = resolve(step.input, parameters) as any;
        expect(input).toMatchObject({
          ...placement,
          name: 'web-1',
          owner: 'group:default/team-alpha',
        });
        const result = validateVmRequest(input, settings.sites);
        expect(result.ok ? [] : result.issues).toEqual([]);
      },
    );
  });
});
