import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { testConfigData } from './__testUtils__/fixtures';
import module from './index';

describe('scaffolderModuleSankofa', () => {
  it('registers the four Sankofa actions', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        module,
        mockServices.rootConfig.factory({ data: testConfigData() }),
      ],
    });
    expect(
      addActions.mock.calls.flat().map((a: { id: string }) => a.id),
    ).toEqual([
      'sankofa:vm:create',
      'sankofa:vm:update',
      'sankofa:vm:delete',
      'sankofa:gitops:pullRequest',
    ]);
  });
});
