/**
 * A Keycloak-compatible OpenID provider for development and tests, built on `oidc-provider`.
 * Users, groups and clients come from a Keycloak realm export, so the same file can be imported
 * into a real Keycloak.
 */
export { startIdp } from './server';
export type { IdpOptions, RunningIdp } from './server';
export { Realm, DEFAULT_REALM_FILE, groupsClaim } from './realm';
export type {
  RealmExport,
  RealmUser,
  RealmGroup,
  RealmClient,
  Account,
} from './realm';
