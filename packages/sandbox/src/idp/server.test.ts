import { createPublicKey, createVerify } from 'node:crypto';
import { startIdp, RunningIdp } from './server';

const CLIENT_ID = 'sankofa-portal';
const SECRET = 'sankofa-portal-dev-secret';
const REDIRECT = 'http://localhost:7007/api/auth/keycloak/handler/frame';
const APP = 'http://localhost:7007';

/** A browser stand-in: keeps cookies per path-less jar and never follows redirects itself. */
class Browser {
  private cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set(
        'cookie',
        [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      );
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects until one leaves the IdP or a page is shown. */
  async follow(startUrl: string, idpUrl: string, init?: RequestInit) {
    let url = startUrl;
    let res = await this.request(url, init);
    let location = res.headers.get('location');
    while (location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(idpUrl)) return { res, location: next };
      url = next;
      res = await this.request(url);
      location = res.headers.get('location');
    }
    return { res, location: undefined, url };
  }
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

function decodeJwt(jwt: string) {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
}

describe('Keycloak-compatible IdP', () => {
  let idp: RunningIdp;
  let realmUrl: string;

  beforeAll(async () => {
    idp = await startIdp({ port: 0 });
    realmUrl = `${idp.url}/realms/sankofa`;
  });
  afterAll(() => idp?.close());

  function authorizeUrl(extra: Record<string, string> = {}) {
    const q = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid profile email',
      state: 'state-1',
      nonce: 'nonce-1',
      ...extra,
    });
    return `${realmUrl}/protocol/openid-connect/auth?${q}`;
  }

  async function signIn(browser: Browser, username: string, password: string) {
    const shown = await browser.follow(authorizeUrl(), idp.url);
    expect(shown.res.status).toBe(200);
    const html = await shown.res.text();
    expect(html).toContain('id="kc-login"');
    expect(html).toContain('value="Sign In"');
    const action = /action="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
    return browser.follow(
      new URL(action, idp.url).href,
      idp.url,
      form({ username, password }),
    );
  }

  async function exchange(code: string, secret = SECRET) {
    return fetch(`${realmUrl}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString(
          'base64',
        )}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      }).toString(),
    });
  }

  it('serves discovery at Keycloak paths', async () => {
    const res = await fetch(`${realmUrl}/.well-known/openid-configuration`);
    const meta = await res.json();
    expect(meta.issuer).toBe(realmUrl);
    for (const [key, path] of [
      ['authorization_endpoint', 'auth'],
      ['token_endpoint', 'token'],
      ['userinfo_endpoint', 'userinfo'],
      ['end_session_endpoint', 'logout'],
      ['jwks_uri', 'certs'],
    ]) {
      expect(meta[key]).toBe(`${realmUrl}/protocol/openid-connect/${path}`);
    }
  });

  it('rejects a wrong password and an unknown user on the login form', async () => {
    for (const [user, password] of [
      ['kofi', 'not-his-password'],
      ['nobody', 'kofi-sankofa'],
    ]) {
      const { res, location } = await signIn(new Browser(), user, password);
      expect(location).toBeUndefined();
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Invalid username or password.');
    }
  });

  it('rejects an unregistered redirect URI', async () => {
    const res = await fetch(
      authorizeUrl({ redirect_uri: 'http://evil.example/cb' }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri');
  });

  it('signs kofi in, issues Keycloak-shaped signed tokens, and logs him out', async () => {
    const browser = new Browser();
    const { location } = await signIn(browser, 'kofi', 'kofi-sankofa');
    const callback = new URL(location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('state-1');
    const code = callback.searchParams.get('code')!;

    expect((await exchange(code, 'wrong-secret')).status).toBe(401);
    const tokenRes = await exchange(code);
    expect(tokenRes.status).toBe(200);
    const tokens = await tokenRes.json();
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const { header, payload } = decodeJwt(tokens.id_token);
    expect(payload).toMatchObject({
      iss: realmUrl,
      aud: CLIENT_ID,
      nonce: 'nonce-1',
      preferred_username: 'kofi',
      email: 'kofi@sankofa.example',
      name: 'Kofi Boateng',
      groups: ['team-alpha'],
    });
    const { keys } = await (
      await fetch(`${realmUrl}/protocol/openid-connect/certs`)
    ).json();
    const jwk = keys.find((k: any) => k.kid === header.kid);
    expect(jwk.d).toBeUndefined();
    const [h, p, s] = tokens.id_token.split('.');
    const verify = (data: string) =>
      createVerify('RSA-SHA256')
        .update(data)
        .verify(createPublicKey({ key: jwk, format: 'jwk' }), s, 'base64url');
    expect(verify(`${h}.${p}`)).toBe(true);
    const forged = Buffer.from(
      JSON.stringify({ ...payload, groups: ['platform'] }),
    ).toString('base64url');
    expect(verify(`${h}.${forged}`)).toBe(false);

    const userinfo = await (
      await fetch(`${realmUrl}/protocol/openid-connect/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    ).json();
    expect(userinfo).toMatchObject({
      preferred_username: 'kofi',
      groups: ['team-alpha'],
    });

    // A second authorization reuses the IdP session: no password asked.
    const again = await browser.follow(authorizeUrl(), idp.url);
    expect(again.location).toMatch(/^http:\/\/localhost:7007\/.*code=/);

    // RP-initiated logout with id_token_hint ends the session without a confirmation click.
    const logout = await browser.follow(
      `${realmUrl}/protocol/openid-connect/logout?${new URLSearchParams({
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: APP,
      })}`,
      idp.url,
    );
    const logoutHtml = await logout.res.text();
    expect(logoutHtml).toContain('document.forms[0].submit()');
    const confirmAction = /action="([^"]+)"/.exec(logoutHtml)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logoutHtml)![1];
    const done = await browser.follow(
      new URL(confirmAction, idp.url).href,
      idp.url,
      form({ xsrf, logout: 'yes' }),
    );
    expect(done.location).toBe(`${APP}/`);

    // The next visit asks for the password again.
    const after = await browser.follow(authorizeUrl(), idp.url);
    expect(after.location).toBeUndefined();
    expect(await after.res.text()).toContain('id="password"');
  });

  it('refuses a logout redirect the client did not register', async () => {
    const res = await fetch(
      `${realmUrl}/protocol/openid-connect/logout?${new URLSearchParams({
        client_id: CLIENT_ID,
        post_logout_redirect_uri: 'http://evil.example/',
      })}`,
    );
    expect(res.status).toBe(400);
  });
});
