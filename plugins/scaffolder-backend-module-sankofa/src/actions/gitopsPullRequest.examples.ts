import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Propose the VM rendered by sankofa:vm:create as a pull request on the GitOps repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'pr',
          action: 'sankofa:gitops:pullRequest',
          name: 'Open the pull request',
          input: {
            branchName: '${{ steps.vm.output.branchName }}',
            title: '${{ steps.vm.output.title }}',
            details: '${{ steps.vm.output.details }}',
            entityUrl: '${{ steps.vm.output.entityUrl }}',
            removePaths: '${{ steps.vm.output.removedFiles }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Open a labelled draft pull request on an explicit repository with reviewers',
    example: yaml.stringify({
      steps: [
        {
          id: 'pr',
          action: 'sankofa:gitops:pullRequest',
          name: 'Open the pull request',
          input: {
            repoUrl: 'http://localhost:3030/platform/sankofa-gitops',
            targetBranch: 'main',
            branchName: 'sankofa/create/team-alpha/web-1',
            title: 'Request VM team-alpha/web-1 on accra',
            description: 'Requested through the Sankofa Portal.',
            details: { VM: 'team-alpha/web-1', Site: 'accra' },
            labels: ['sankofa', 'vm-request'],
            reviewers: ['ama'],
            draft: true,
          },
        },
      ],
    }),
  },
];
