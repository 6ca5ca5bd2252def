import authPlugin from '@backstage/plugin-auth-backend';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { authModuleKeycloakProvider } from './module';
import { FakeKeycloak, TokenFault } from './__testUtils__/fakeKeycloak';

const APP_URL = 'http://localhost:3000';

function user(name: string, email: string, groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email }, memberOf: groups },
    relations: groups.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}

/** Cookies for one browser, sent to every path (the test talks to one backend). */
class Jar {
  private cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set(
      'cookie',
      [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    );
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

describe('Keycloak sign-in', () => {
  let idp: FakeKeycloak;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;

  beforeAll(async () => {
    idp = await FakeKeycloak.start();
    backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleKeycloakProvider,
        catalogServiceMock.factory({
          entities: [
            user('kofi', 'kofi@sankofa.example', ['team-alpha']),
            user('ama', 'ama@sankofa.example', ['platform']),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: APP_URL },
            auth: {
              environment: 'development',
              session: { secret: 'test-session-secret' },
              providers: {
                keycloak: {
                  development: {
                    metadataUrl: idp.metadataUrl,
                    clientId: idp.clientId,
                    clientSecret: idp.clientSecret,
                    prompt: 'auto',
                  },
                },
              },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api/auth/keycloak`;
  });

  afterAll(async () => {
    await backend?.stop();
    await idp?.stop();
  });

  /** Runs the redirect flow: start → (IdP) → frame handler; returns the web message. */
  async function signIn(
    claims: Record<string, unknown>,
    fault?: TokenFault,
    jar = new Jar(),
  ) {
    const start = await jar.fetch(
      `${baseUrl}/start?env=development&origin=${encodeURIComponent(APP_URL)}`,
    );
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(
      authorize.href.startsWith(`${idp.issuer}/protocol/openid-connect/auth`),
    ).toBe(true);
    const code = `code-${Math.random()}`;
    idp.willIssue(code, {
      nonce: authorize.searchParams.get('nonce')!,
      claims,
      fault,
    });
    const frame = await jar.fetch(
      `${baseUrl}/handler/frame?${new URLSearchParams({
        code,
        state: authorize.searchParams.get('state')!,
      })}`,
    );
    const html = await frame.text();
    const encoded = /authResponse = decodeURIComponent\('([^']*)'\)/.exec(html);
    expect(encoded).not.toBeNull();
    return { message: JSON.parse(decodeURIComponent(encoded![1])), jar };
  }

  const kofi = {
    sub: 'f3b1c2d4',
    preferred_username: 'kofi',
    email: 'kofi@sankofa.example',
    email_verified: true,
    name: 'Kofi Boateng',
    groups: ['team-alpha'],
  };

  it('signs in by preferred_username, with catalog and token groups as ownership', async () => {
    const { message } = await signIn({
      ...kofi,
      groups: ['team-alpha', 'vm-operators'],
    });
    expect(message.error).toBeUndefined();
    const identity = message.response.backstageIdentity.identity;
    expect(identity.userEntityRef).toBe('user:default/kofi');
    expect(identity.ownershipEntityRefs.sort()).toEqual([
      'group:default/team-alpha',
      'group:default/vm-operators',
      'user:default/kofi',
    ]);
    expect(message.response.profile.displayName).toBe('Kofi Boateng');
  });

  it('falls back to the verified email when the username is not a catalog User', async () => {
    const { message } = await signIn({
      ...kofi,
      preferred_username: 'kofi.boateng',
      groups: ['/sankofa/team-alpha'],
    });
    expect(message.error).toBeUndefined();
    expect(message.response.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/kofi',
    );
  });

  it('refuses an unknown user with an error naming the username', async () => {
    const { message } = await signIn({
      sub: 'x1',
      preferred_username: 'stranger',
      email: 'stranger@elsewhere.example',
      email_verified: true,
    });
    expect(message.response).toBeUndefined();
    expect(message.error.name).toBe('NotFoundError');
    expect(message.error.message).toContain('Keycloak user "stranger"');
    expect(message.error.message).toContain(
      'has no User entity in the catalog',
    );
    expect(message.error.stack).toBeUndefined();
  });

  it('does not match an unverified email', async () => {
    const { message } = await signIn({
      ...kofi,
      preferred_username: 'not-kofi',
      email_verified: false,
    });
    expect(message.error?.message).toContain('Keycloak user "not-kofi"');
  });

  it.each<[TokenFault, RegExp]>([
    ['tampered', /failed to validate JWT signature/],
    ['foreignKey', /failed to validate JWT signature/],
    ['expired', /JWT expired/],
    ['wrongIssuer', /unexpected iss value/],
  ])('rejects a %s ID token', async (fault, reason) => {
    const { message } = await signIn(kofi, fault);
    expect(message.response).toBeUndefined();
    expect(message.error.message).toMatch(reason);
  });

  it('ends the Keycloak session on logout (RP-initiated logout)', async () => {
    const { jar, message } = await signIn(kofi);
    expect(message.error).toBeUndefined();
    const res = await jar.fetch(`${baseUrl}/logout?env=development`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest', origin: APP_URL },
    });
    expect(res.status).toBe(200);
    const { logoutUrl } = await res.json();
    const url = new URL(logoutUrl);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${idp.issuer}/protocol/openid-connect/logout`,
    );
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(APP_URL);
    expect(url.searchParams.get('client_id')).toBe(idp.clientId);
    const hint = url.searchParams.get('id_token_hint')!;
    const payload = JSON.parse(
      Buffer.from(hint.split('.')[1], 'base64url').toString(),
    );
    expect(payload).toMatchObject({
      iss: idp.issuer,
      preferred_username: 'kofi',
    });
    expect(idp.revoked.length).toBeGreaterThan(0);
  });
});
