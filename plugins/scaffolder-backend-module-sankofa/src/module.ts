import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readSankofaSettings } from './config';
import { createVmCreateAction } from './actions/vmCreate';
import { createVmUpdateAction } from './actions/vmUpdate';
import { createVmDeleteAction } from './actions/vmDelete';
import { createGitopsPullRequestAction } from './actions/gitopsPullRequest';

/**
 * Registers the Sankofa actions with the scaffolder: `sankofa:vm:create|update|delete` render
 * changes into the workspace and `sankofa:gitops:pullRequest` proposes them to the GitOps repo.
 */
export const scaffolderModuleSankofa = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'sankofa',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, reader, logger }) {
        const settings = readSankofaSettings(config);
        const integrations = ScmIntegrations.fromConfig(config);
        if (!settings.gitops.repoUrl) {
          logger.warn(
            'sankofa.gitops.repoUrl is not set; the Sankofa actions need it or an explicit repoUrl input',
          );
        }
        const options = { settings, reader, integrations };
        scaffolder.addActions(
          createVmCreateAction(options),
          createVmUpdateAction(options),
          createVmDeleteAction(options),
          createGitopsPullRequestAction({ settings, integrations }),
        );
      },
    });
  },
});
