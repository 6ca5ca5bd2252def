import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Resize a VM to the medium size class',
    example: yaml.stringify({
      steps: [
        {
          id: 'vm',
          action: 'sankofa:vm:update',
          name: 'Resize the VM',
          input: { vm: 'resource:team-alpha/web-1', sizeClass: 'medium' },
        },
      ],
    }),
  },
  {
    description: 'Power a VM off, naming it by its claim reference',
    example: yaml.stringify({
      steps: [
        {
          id: 'vm',
          action: 'sankofa:vm:update',
          name: 'Power off the VM',
          input: { vm: 'sankofa-east/team-alpha/web-1', powerState: 'Stopped' },
        },
      ],
    }),
  },
];
