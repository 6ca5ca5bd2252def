import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { z } from 'zod';
import { keycloakAuthApi } from './keycloakAuthApi';

// No name: this replaces the app plugin's default sign-in page (`sign-in-page:app`), which
// only offers guest. Config: app.extensions `sign-in-page:app: { config: { allowGuest } }`.
const signInPage = SignInPageBlueprint.makeWithOverrides({
  configSchema: { allowGuest: z.boolean().default(true) },
  factory(originalFactory, { config }) {
    return originalFactory({
      loader: async () => {
        const { SankofaSignInPage } = await import('./SankofaSignInPage');
        return props => (
          <SankofaSignInPage {...props} allowGuest={config.allowGuest} />
        );
      },
    });
  },
});

/** Sign-in for the portal: the Keycloak auth API and the sign-in page that offers it. */
export const authModule = createFrontendModule({
  pluginId: 'app',
  extensions: [keycloakAuthApi, signInPage],
});
