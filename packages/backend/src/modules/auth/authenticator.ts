import { createOAuthAuthenticator } from '@backstage/plugin-auth-node';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';

/**
 * Backstage's OIDC authenticator, plus RP-initiated logout: signing out of the portal also ends
 * the Keycloak session (the realm's `end_session_endpoint`), so the next sign-in asks for the
 * password again instead of silently reusing the IdP's session.
 *
 * `postLogoutRedirectUri` is where Keycloak sends the browser afterwards (the app's base URL); it
 * must be one of the client's "Valid post logout redirect URIs".
 */
export function createKeycloakAuthenticator(options: {
  postLogoutRedirectUri: string;
}): typeof oidcAuthenticator {
  return createOAuthAuthenticator({
    ...oidcAuthenticator,
    async logout(input, ctx) {
      const { client } = await ctx.promise;
      // The browser's only proof of the session is the refresh token in its cookie. Refreshing
      // once yields a current ID token to send as id_token_hint, which lets Keycloak end the
      // session without asking "Do you want to log out?".
      let idTokenHint: string | undefined;
      let refreshToken = input.refreshToken;
      if (refreshToken) {
        try {
          const tokens = await client.refresh(refreshToken);
          idTokenHint = tokens.id_token;
          refreshToken = tokens.refresh_token ?? refreshToken;
        } catch {
          // Already expired or revoked at the IdP: log out without the hint.
        }
      }
      await oidcAuthenticator.logout?.({ ...input, refreshToken }, ctx);
      if (!client.issuer.metadata.end_session_endpoint) {
        return undefined;
      }
      return {
        logoutUrl: client.endSessionUrl({
          client_id: client.metadata.client_id,
          post_logout_redirect_uri: options.postLogoutRedirectUri,
          ...(idTokenHint && { id_token_hint: idTokenHint }),
        }),
      };
    },
  });
}
