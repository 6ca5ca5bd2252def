import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Decommission a VM after the requester typed its name',
    example: yaml.stringify({
      steps: [
        {
          id: 'vm',
          action: 'sankofa:vm:delete',
          name: 'Decommission the VM',
          input: { vm: 'resource:team-alpha/web-1', confirmName: 'web-1' },
        },
      ],
    }),
  },
];
