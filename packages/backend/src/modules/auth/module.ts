import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createOAuthRouteHandlers,
  OAuthEnvironmentHandler,
} from '@backstage/plugin-auth-node';
import { createKeycloakAuthenticator } from './authenticator';
import { chainResolvers, DEFAULT_RESOLVERS } from './resolvers';

/** The provider id: routes are /api/auth/keycloak/{start,handler/frame,refresh,logout}. */
export const KEYCLOAK_PROVIDER_ID = 'keycloak';

/**
 * Sign-in with Keycloak through Backstage's OIDC authenticator, registered as provider `keycloak`
 * (the OIDC module would register it as `oidc`). Per environment under
 * `auth.providers.keycloak.<env>`: the OIDC module's keys (metadataUrl, clientId, clientSecret,
 * additionalScopes, prompt, ...), `postLogoutRedirectUri` (default app.baseUrl) and
 * `signIn.resolvers` naming our resolvers in the order to try them.
 */
export const authModuleKeycloakProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'keycloak-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
      },
      async init({ providers }) {
        providers.registerProvider({
          providerId: KEYCLOAK_PROVIDER_ID,
          factory: ctx =>
            OAuthEnvironmentHandler.mapConfig(ctx.config, envConfig => {
              const resolverNames =
                envConfig
                  .getOptionalConfigArray('signIn.resolvers')
                  ?.map(r => r.getString('resolver')) ?? DEFAULT_RESOLVERS;
              return createOAuthRouteHandlers({
                authenticator: createKeycloakAuthenticator({
                  postLogoutRedirectUri:
                    envConfig.getOptionalString('postLogoutRedirectUri') ??
                    ctx.appUrl,
                }),
                appUrl: ctx.appUrl,
                baseUrl: ctx.baseUrl,
                isOriginAllowed: ctx.isOriginAllowed,
                cookieConfigurer: ctx.cookieConfigurer,
                providerId: ctx.providerId,
                config: envConfig,
                resolverContext: ctx.resolverContext,
                signInResolver: chainResolvers(resolverNames),
              });
            }),
        });
      },
    });
  },
});
