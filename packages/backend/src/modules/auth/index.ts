export { authModuleKeycloakProvider as default } from './module';
export { KEYCLOAK_PROVIDER_ID } from './module';
export * from './resolvers';
export { createKeycloakAuthenticator } from './authenticator';
