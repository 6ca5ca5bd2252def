export { authModule } from './authModule';
export { keycloakAuthApiRef } from './keycloakAuthApi';
