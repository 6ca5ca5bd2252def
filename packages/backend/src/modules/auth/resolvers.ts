import {
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type {
  AuthResolverContext,
  BackstageSignInResult,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import type { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';

/** The Keycloak claims the portal signs users in with. */
export interface KeycloakClaims {
  username?: string;
  email?: string;
  emailVerified: boolean;
  /** Group names from the `groups` claim (the mapper's full.path off); full paths are cut to their last segment. */
  groups: string[];
}

/** Reads the claims from userinfo, falling back to the ID token (Keycloak sends them in both). */
export function keycloakClaims(result: OidcAuthResult): KeycloakClaims {
  let idClaims: Record<string, unknown> = {};
  try {
    idClaims = result.tokenset?.claims?.() ?? {};
  } catch {
    // No ID token: userinfo alone has to do.
  }
  const pick = (name: string) => result.userinfo?.[name] ?? idClaims[name];
  const username = pick('preferred_username');
  const email = pick('email');
  const groups = pick('groups');
  return {
    username: typeof username === 'string' && username ? username : undefined,
    email: typeof email === 'string' && email ? email : undefined,
    emailVerified: pick('email_verified') === true,
    groups: Array.isArray(groups)
      ? groups
          .filter((g): g is string => typeof g === 'string')
          .map(g => g.split('/').filter(Boolean).pop() ?? '')
          .filter(Boolean)
      : [],
  };
}

const ENTITY_NAME = /^[a-z0-9A-Z]([a-z0-9A-Z_.-]{0,61}[a-z0-9A-Z])?$/;

/** Keycloak group names as catalog Group refs; names the catalog cannot hold are left out. */
export function groupRefs(
  groups: string[],
  namespace = DEFAULT_NAMESPACE,
): string[] {
  return groups
    .filter(g => ENTITY_NAME.test(g))
    .map(name => stringifyEntityRef({ kind: 'group', namespace, name }));
}

/**
 * Issues the Backstage identity for a catalog User. Ownership comes from the catalog (the user and
 * the groups it is a member of) and, in addition, from the token's Keycloak groups, so that a user
 * moved into a team in Keycloak owns that team's entities before the catalog's next sync.
 */
export async function signInAs(
  entity: Entity,
  claims: KeycloakClaims,
  ctx: AuthResolverContext,
): Promise<BackstageSignInResult> {
  const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(entity);
  const ent = [
    ...new Set([...ownershipEntityRefs, ...groupRefs(claims.groups)]),
  ];
  return ctx.issueToken({
    claims: { sub: stringifyEntityRef(entity), ent },
  });
}

/** What the OIDC authenticator hands to sign-in resolvers. */
export type KeycloakResult = OAuthAuthenticatorResult<OidcAuthResult>;

type Resolver = SignInResolver<KeycloakResult>;

/** Keycloak `preferred_username` → the catalog User of that name. */
export const preferredUsernameMatchingUserEntityName: Resolver = async (
  info,
  ctx,
) => {
  const claims = keycloakClaims(info.result.fullProfile);
  if (!claims.username) {
    throw new NotFoundError('the token has no preferred_username claim');
  }
  const { entity } = await ctx.findCatalogUser({
    entityRef: { kind: 'User', name: claims.username },
  });
  return signInAs(entity, claims, ctx);
};

/** Keycloak `email` (verified only) → the catalog User with that `spec.profile.email`. */
export const emailMatchingUserEntityProfileEmail: Resolver = async (
  info,
  ctx,
) => {
  const claims = keycloakClaims(info.result.fullProfile);
  if (!claims.email || !claims.emailVerified) {
    throw new NotFoundError('the token has no verified email claim');
  }
  const { entity } = await ctx.findCatalogUser({
    filter: { 'spec.profile.email': claims.email },
  });
  return signInAs(entity, claims, ctx);
};

export const keycloakSignInResolvers: Record<string, Resolver> = {
  preferredUsernameMatchingUserEntityName,
  emailMatchingUserEntityProfileEmail,
};

export const DEFAULT_RESOLVERS = Object.keys(keycloakSignInResolvers);

/**
 * Tries the named resolvers in order; the first that finds a catalog User wins. When none does,
 * the error names the Keycloak user so that whoever reads it knows which catalog entry is missing.
 */
export function chainResolvers(names: string[]): Resolver {
  const resolvers = names.map(name => {
    const resolver = keycloakSignInResolvers[name];
    if (!resolver) {
      throw new Error(
        `Unknown Keycloak sign-in resolver "${name}"; available: ${DEFAULT_RESOLVERS.join(
          ', ',
        )}`,
      );
    }
    return resolver;
  });
  return async (info, ctx) => {
    for (const resolver of resolvers) {
      try {
        return await resolver(info, ctx);
      } catch (e) {
        if ((e as Error)?.name !== 'NotFoundError') throw e;
      }
    }
    const { username, email } = keycloakClaims(info.result.fullProfile);
    const who = username ? `"${username}"` : 'without a username';
    throw new NotFoundError(
      `Sign-in failed: Keycloak user ${who}${
        email ? ` (${email})` : ''
      } has no User entity in the catalog. ` +
        'Ask a portal administrator to add it to the organisation.',
    );
  };
}
