import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
import { Realm, RealmClient, groupsClaim } from './realm';
import { memoryAdapterFactory } from './memoryAdapter';
import {
  autoSubmitLogoutPage,
  confirmLogoutPage,
  loggedOutPage,
  errorPage,
} from './pages';

/** Keycloak's OpenID Connect endpoint paths, relative to `/realms/<realm>`. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  jwks: '/protocol/openid-connect/certs',
  revocation: '/protocol/openid-connect/revoke',
  introspection: '/protocol/openid-connect/token/introspect',
};

const GROUP_MAPPER = 'oidc-group-membership-mapper';

/** Where the login form lives, as in Keycloak (`/realms/<realm>/login-actions/authenticate`). */
export function loginActionsPath(realm: string) {
  return `/realms/${encodeURIComponent(realm)}/login-actions/authenticate`;
}

/**
 * Builds an `oidc-provider` instance that behaves like a Keycloak realm: the realm's clients,
 * users and group membership mappers, Keycloak's paths, refresh tokens for every code flow, and
 * no consent screen (Keycloak clients default to "consent not required").
 */
export function createKeycloakProvider(realm: Realm, issuer: string): any {
  const clients = realm.clients();
  const mappers = new Map(clients.map(c => [c.clientId, groupMappers(c)]));
  const groupClaimNames = [
    ...new Set([...mappers.values()].flat().map(m => m.claimName)),
  ];
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomUUID(),
    alg: 'RS256',
    use: 'sig',
  };
  const lifespan = realm.export.accessTokenLifespan ?? 300;
  const sessionIdle = realm.export.ssoSessionIdleTimeout ?? 1800;

  const provider = new Provider(issuer, {
    adapter: memoryAdapterFactory(),
    clients: clients.map(toOidcClient),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    routes: KEYCLOAK_ROUTES,
    scopes: [
      'openid',
      'offline_access',
      'profile',
      'email',
      'roles',
      'web-origins',
      'acr',
    ],
    claims: {
      openid: ['sub', ...groupClaimNames],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Keycloak puts the profile claims into the ID token, not only into userinfo.
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: lifespan,
      IdToken: lifespan,
      AuthorizationCode: 60,
      Interaction: 1800,
      Session: sessionIdle,
      Grant: sessionIdle,
      RefreshToken: sessionIdle,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Keycloak logs out without asking when the request proves who it is for (a valid
        // id_token_hint), and asks for confirmation otherwise.
        async logoutSource(ctx: any, form: string) {
          ctx.body = ctx.oidc.entities.IdTokenHint
            ? autoSubmitLogoutPage(form)
            : confirmLogoutPage(realm, form);
        },
        async postLogoutSuccessSource(ctx: any) {
          ctx.body = loggedOutPage(realm);
        },
      },
    },
    interactions: {
      url: async (_ctx: any, interaction: any) =>
        `${loginActionsPath(realm.name)}/${interaction.uid}`,
    },
    // Keycloak issues a refresh token on every code exchange, without `offline_access`.
    issueRefreshToken: async (_ctx: any, client: any) =>
      client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx: any) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client.clientId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ||
        ctx.oidc.session.grantIdFor(clientId);
      const grant =
        (grantId && (await Grant.find(grantId))) ||
        new Grant({ clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
    findAccount: async (ctx: any, sub: string) => {
      const account = realm.findUser(sub);
      if (!account) return undefined;
      return {
        accountId: account.username,
        async claims(use: string) {
          const claims: Record<string, unknown> = {
            sub: account.username,
            preferred_username: account.username,
            name: account.name,
            given_name: account.givenName,
            family_name: account.familyName,
            email: account.email,
            email_verified: account.emailVerified,
          };
          const clientId = ctx.oidc.client?.clientId;
          for (const mapper of mappers.get(clientId) ?? []) {
            const wanted =
              use === 'id_token' ? mapper.idToken : mapper.userinfo;
            if (wanted) {
              claims[mapper.claimName] = groupsClaim(
                account.groupPaths,
                mapper.fullPath,
              );
            }
          }
          return claims;
        },
      };
    },
    async renderError(ctx: any, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = errorPage(realm, out);
    },
  });
  return provider;
}

interface GroupMapper {
  claimName: string;
  fullPath: boolean;
  idToken: boolean;
  userinfo: boolean;
}

/** Reads a client's group membership mappers the way Keycloak applies them. */
function groupMappers(client: RealmClient): GroupMapper[] {
  return (client.protocolMappers ?? [])
    .filter(m => m.protocolMapper === GROUP_MAPPER)
    .map(m => {
      const c = m.config ?? {};
      return {
        claimName: c['claim.name'] || 'groups',
        // Keycloak's defaults: full path on, included in ID token and userinfo.
        fullPath: c['full.path'] !== 'false',
        idToken: c['id.token.claim'] !== 'false',
        userinfo: c['userinfo.token.claim'] !== 'false',
      };
    });
}

/** Translates a Keycloak client into `oidc-provider` client metadata. */
function toOidcClient(client: RealmClient) {
  const postLogout = (client.attributes?.['post.logout.redirect.uris'] ?? '')
    .split('##')
    .filter(Boolean);
  return {
    client_id: client.clientId,
    client_name: client.name ?? client.clientId,
    ...(client.publicClient
      ? { token_endpoint_auth_method: 'none' }
      : {
          client_secret: client.secret,
          token_endpoint_auth_method: 'client_secret_basic',
        }),
    redirect_uris: client.redirectUris ?? [],
    post_logout_redirect_uris: postLogout,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}
