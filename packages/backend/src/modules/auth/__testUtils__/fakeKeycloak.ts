import { createServer, IncomingMessage, Server } from 'node:http';
import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import {
  createSign,
  generateKeyPairSync,
  KeyObject,
  randomUUID,
} from 'node:crypto';

/** How the token endpoint should (mis)behave for one authorization code. */
export type TokenFault = 'tampered' | 'expired' | 'wrongIssuer' | 'foreignKey';

interface PendingLogin {
  nonce: string;
  claims: Record<string, unknown>;
  fault?: TokenFault;
}

/**
 * A minimal Keycloak realm over HTTP for backend tests: discovery, certs, token, userinfo,
 * revoke and the end-session URL. The test decides what each authorization code yields, so that
 * Backstage's authenticator can be shown valid and invalid ID tokens.
 */
export class FakeKeycloak {
  readonly clientId = 'sankofa-portal';
  readonly clientSecret = 'test-secret';
  readonly revoked: string[] = [];
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly foreignKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  private readonly kid = randomUUID();
  private readonly logins = new Map<string, PendingLogin>();
  private readonly refreshTokens = new Map<string, Record<string, unknown>>();
  private server?: Server;
  issuer = '';

  static async start(): Promise<FakeKeycloak> {
    const idp = new FakeKeycloak();
    idp.server = createServer((req, res) => {
      idp.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        e => {
          res.writeHead(500);
          res.end(String(e));
        },
      );
    });
    idp.server.listen(0, '127.0.0.1');
    await once(idp.server, 'listening');
    const { port } = idp.server.address() as AddressInfo;
    // `localhost`, because Backstage only forwards logout URLs that are https or localhost.
    idp.issuer = `http://localhost:${port}/realms/sankofa`;
    return idp;
  }

  get metadataUrl() {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  /** Registers what the next code exchange returns; the nonce comes from the authorize URL. */
  willIssue(code: string, login: PendingLogin) {
    this.logins.set(code, login);
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise(r => this.server?.close(r));
  }

  private sign(payload: object, key: KeyObject) {
    const enc = (o: object) =>
      Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${enc({ alg: 'RS256', typ: 'JWT', kid: this.kid })}.${enc(
      payload,
    )}`;
    const sig = createSign('RSA-SHA256').update(input).sign(key, 'base64url');
    return `${input}.${sig}`;
  }

  private idToken(login: PendingLogin) {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss:
        login.fault === 'wrongIssuer'
          ? 'http://localhost:1/realms/other'
          : this.issuer,
      aud: this.clientId,
      azp: this.clientId,
      iat: login.fault === 'expired' ? now - 3600 : now,
      exp: login.fault === 'expired' ? now - 1800 : now + 300,
      ...(login.nonce && { nonce: login.nonce }),
      ...login.claims,
    };
    const key = login.fault === 'foreignKey' ? this.foreignKey : this.key;
    const token = this.sign(payload, key.privateKey);
    if (login.fault !== 'tampered') return token;
    // Same signature, different payload: promote the user to the admin group.
    const [h, , s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...payload, groups: ['platform'] }),
    ).toString('base64url');
    return `${h}.${forged}.${s}`;
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url!, this.issuer);
    const path = url.pathname.replace(/^\/realms\/sankofa/, '');
    const oidc = `${this.issuer}/protocol/openid-connect`;
    if (path === '/.well-known/openid-configuration') {
      return {
        status: 200,
        body: {
          issuer: this.issuer,
          authorization_endpoint: `${oidc}/auth`,
          token_endpoint: `${oidc}/token`,
          userinfo_endpoint: `${oidc}/userinfo`,
          jwks_uri: `${oidc}/certs`,
          end_session_endpoint: `${oidc}/logout`,
          revocation_endpoint: `${oidc}/revoke`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        },
      };
    }
    if (path === '/protocol/openid-connect/certs') {
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      return {
        status: 200,
        body: { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] },
      };
    }
    const form = new URLSearchParams(await readBody(req));
    if (path === '/protocol/openid-connect/token') {
      const basic = Buffer.from(
        `${this.clientId}:${this.clientSecret}`,
      ).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) {
        return { status: 401, body: { error: 'invalid_client' } };
      }
      let login: PendingLogin | undefined;
      if (form.get('grant_type') === 'refresh_token') {
        const claims = this.refreshTokens.get(form.get('refresh_token') ?? '');
        login = claims && { nonce: '', claims };
      } else {
        login = this.logins.get(form.get('code') ?? '');
        this.logins.delete(form.get('code') ?? '');
      }
      if (!login) return { status: 400, body: { error: 'invalid_grant' } };
      const idToken = this.idToken(login);
      const accessToken = `at-${randomUUID()}`;
      const refreshToken = `rt-${randomUUID()}`;
      this.refreshTokens.set(refreshToken, login.claims);
      this.refreshTokens.set(accessToken, login.claims);
      return {
        status: 200,
        body: {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: refreshToken,
          id_token: idToken,
          scope: 'openid profile email',
        },
      };
    }
    if (path === '/protocol/openid-connect/userinfo') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const claims = this.refreshTokens.get(token);
      return claims ? { status: 200, body: claims } : { status: 401, body: {} };
    }
    if (path === '/protocol/openid-connect/revoke') {
      this.revoked.push(form.get('token') ?? '');
      return { status: 200, body: {} };
    }
    return { status: 404, body: { error: 'not found' } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
