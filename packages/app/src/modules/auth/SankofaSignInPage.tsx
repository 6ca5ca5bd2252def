import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { keycloakAuthApiRef } from './keycloakAuthApi';

const keycloakProvider = {
  id: 'keycloak',
  title: 'Keycloak',
  message: 'Sign in with your Sankofa account',
  apiRef: keycloakAuthApiRef,
};

/**
 * Keycloak sign-in; guest sign-in is added only when `auth.environment` is development and the
 * extension's `allowGuest` config is on (the backend's guest provider refuses to work elsewhere).
 */
export function SankofaSignInPage(
  props: SignInPageProps & { allowGuest: boolean },
) {
  const { allowGuest, ...signInProps } = props;
  const configApi = useApi(configApiRef);
  const offerGuest =
    allowGuest &&
    configApi.getOptionalString('auth.environment') === 'development';
  return (
    <SignInPage
      {...signInProps}
      title="Sankofa Portal"
      align="center"
      providers={offerGuest ? [keycloakProvider, 'guest'] : [keycloakProvider]}
    />
  );
}
