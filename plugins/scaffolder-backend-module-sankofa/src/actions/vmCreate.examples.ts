import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8Gz2u5qrqkn3AJpvece/ILf6OTUpcgmY0FPUeRt/ez kofi@sankofa';

export const examples: TemplateExample[] = [
  {
    description: 'Request a small Debian VM on site accra for team-alpha',
    example: yaml.stringify({
      steps: [
        {
          id: 'vm',
          action: 'sankofa:vm:create',
          name: 'Render the VM claim',
          input: {
            name: 'web-1',
            owner: 'group:default/team-alpha',
            site: 'accra',
            image: 'debian-12',
            sizeClass: 'small',
            network: { bridge: 'vmbr0', vlan: 10 },
            sshKeys: [KEY],
          },
        },
      ],
    }),
  },
  {
    description:
      'Request a custom-sized VM on a chosen node, stopped, with cloud-init user data',
    example: yaml.stringify({
      steps: [
        {
          id: 'vm',
          action: 'sankofa:vm:create',
          name: 'Render the VM claim',
          input: {
            name: 'db-1',
            owner: 'team-beta',
            site: 'kumasi',
            node: 'pve-kumasi-2',
            image: 'ubuntu-24.04',
            sizeClass: 'custom',
            cpu: 6,
            memoryMiB: 12288,
            diskGiB: 80,
            network: { bridge: 'vmbr0' },
            sshKeys: [KEY],
            userData: '#cloud-config\npackages:\n  - postgresql\n',
            powerState: 'Stopped',
            description: 'PostgreSQL for team-beta',
          },
        },
      ],
    }),
  },
];
