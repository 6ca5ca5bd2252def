import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Sankofa Portal

Self-service virtual machines on the Sankofa private cloud (Proxmox VE,
Crossplane and ArgoCD), with their status, metrics and logs in one place.

- **Browse the catalog**: the [Software Catalog](/catalog) lists teams,
  systems and every virtual machine with its owner.
- **Request a virtual machine**: [Create](/create) opens the templates;
  each request becomes a reviewed pull request on the GitOps repository.
- **Follow it**: a VM's catalog page shows where it is on its way from
  pull request to running machine.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What Sankofa Portal does and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
