import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Realm, DEFAULT_REALM_FILE } from './realm';
import { createKeycloakProvider, loginActionsPath } from './provider';
import { loginPage } from './pages';

export interface IdpOptions {
  /** Port to listen on; 8180 by default, 0 for any free port. */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** A Keycloak realm export; the sandbox's sankofa realm by default. */
  realmFile?: string;
  /** Scheme, host and port the issuer is reached at; `http://localhost:<port>` by default. */
  issuerBaseUrl?: string;
}

export interface RunningIdp {
  /** The realm's issuer, e.g. http://localhost:8180/realms/sankofa */
  issuer: string;
  /** The server's base URL (the issuer without `/realms/<realm>`). */
  url: string;
  close(): Promise<void>;
}

const INVALID_CREDENTIALS = 'Invalid username or password.';

/** Starts the Keycloak-compatible IdP for one realm export. */
export async function startIdp(options: IdpOptions = {}): Promise<RunningIdp> {
  const realm = Realm.fromFile(options.realmFile ?? DEFAULT_REALM_FILE);
  const app = express();
  app.disable('x-powered-by');
  const server = app.listen(options.port ?? 8180, options.host ?? '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([e]) => Promise.reject(e)),
  ]);
  const { port } = server.address() as AddressInfo;
  const url = (options.issuerBaseUrl ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  const realmPath = `/realms/${encodeURIComponent(realm.name)}`;
  const issuer = `${url}${realmPath}`;
  const provider = createKeycloakProvider(realm, issuer);

  const loginPath = loginActionsPath(realm.name);
  app.get(`${loginPath}/:uid`, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== req.params.uid) {
        res
          .status(400)
          .send(
            'This sign-in page has expired; start again from the application.',
          );
        return;
      }
      if (details.prompt.name === 'login') {
        res.type('html').send(loginPage(realm, req.originalUrl));
        return;
      }
      // Any other prompt is consent, which Keycloak clients do not require: grant it.
      await finishConsent(provider, req, res, details);
    } catch (e) {
      next(e);
    }
  });
  app.post(
    `${loginPath}/:uid`,
    express.urlencoded({ extended: false, limit: '16kb' }),
    async (req, res, next) => {
      try {
        // Throws when the interaction is unknown or expired.
        await provider.interactionDetails(req, res);
        const username = String(req.body?.username ?? '');
        const account = realm.authenticate(
          username,
          String(req.body?.password ?? ''),
        );
        if (!account) {
          res
            .status(401)
            .type('html')
            .send(
              loginPage(realm, req.originalUrl, {
                username,
                error: INVALID_CREDENTIALS,
              }),
            );
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.username } },
          { mergeWithLastSubmission: false },
        );
      } catch (e) {
        next(e);
      }
    },
  );
  app.use(realmPath, provider.callback());
  // Expired or forged interactions: say so plainly instead of a stack trace.
  app.use(
    (
      err: any,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = Number(err?.statusCode ?? err?.status ?? 500);
      res
        .status(status >= 400 && status < 500 ? status : 500)
        .type('text')
        .send(err?.error_description ?? err?.message ?? 'sign-in failed');
    },
  );

  return {
    issuer,
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(r => server.close(() => r()));
    },
  };
}

async function finishConsent(provider: any, req: any, res: any, details: any) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({
        accountId: details.session.accountId,
        clientId: details.params.client_id,
      });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}
