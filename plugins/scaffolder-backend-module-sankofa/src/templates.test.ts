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

  it('offers exactly the sites, images, nodes, sizes and VLANs of sankofa.sites', () => {
    const request = templates[0].doc.spec.parameters;
    expect(request[0].properties.site.enum).toEqual(
      settings.sites.map(s => s.name),
    );
    for (const option of request[0].dependencies.site.oneOf) {
      const site = settings.sites.find(
        s => s.name === option.properties.site.const,
      )!;
      expect(option.properties.image.enum).toEqual(site.images);
      expect(option.properties.node.enum).toEqual(site.nodes);
    }
    expect(request[1].properties.sizeClass.enum).toEqual([
      ...settings.sites[0].sizeClasses.map(c => c.name),
      'custom',
    ]);
    const vlans = new Set(
      settings.sites.flatMap(s => s.networks.flatMap(n => n.vlans ?? [])),
    );
    expect(request[2].properties.vlan.enum).toEqual([...vlans]);
  });
});
