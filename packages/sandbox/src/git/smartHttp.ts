import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import type { Credentials } from './auth';
import { isolatedGitEnv } from './gitCli';
import type { GitHostState } from './state';

export const GIT_HTTP_BACKEND =
  process.env.SANKOFA_GIT_HTTP_BACKEND ?? '/usr/lib/git-core/git-http-backend';

/** `/<owner>/<repo>[.git]/<smart http path>` — what git clients ask for. */
const SMART_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+))$/;

function unauthorized(res: Response, message: string) {
  res
    .status(401)
    .setHeader('WWW-Authenticate', 'Basic realm="Sankofa Git host"')
    .type('text/plain')
    .send(`${message}\n`);
}

/**
 * Serves real git repositories over the smart HTTP protocol by running
 * `git http-backend` as a CGI: the request body streams into it (gzip is
 * decoded by http-backend itself via HTTP_CONTENT_ENCODING) and its output
 * streams back after the CGI headers are translated.
 */
export function smartHttpHandler(state: GitHostState): RequestHandler {
  return (req, res, next) => {
    const match = SMART_PATH.exec(req.path);
    if (!match) {
      next();
      return;
    }
    const [, owner, name, rest] = match;
    const repo = state.findRepo(owner, name);
    const creds = res.locals.credentials as Credentials;
    if (creds.kind === 'invalid') {
      unauthorized(res, `Authentication failed: ${creds.reason}`);
      return;
    }
    const isPush =
      rest === '/git-receive-pack' ||
      (rest === '/info/refs' && req.query.service === 'git-receive-pack');
    if (!repo || (repo.private && creds.kind !== 'user')) {
      // Ask for credentials first, like Gitea, so private repos do not leak.
      if (creds.kind !== 'user') {
        unauthorized(res, 'Authentication required');
      } else {
        res.status(404).type('text/plain').send('Repository not found\n');
      }
      return;
    }
    if (isPush && creds.kind !== 'user') {
      unauthorized(res, 'Authentication required to push');
      return;
    }
    runBackend(state, req, res, {
      pathInfo: `/${owner.toLowerCase()}/${repo.name.toLowerCase()}.git${rest}`,
      remoteUser: creds.kind === 'user' ? creds.user.login : undefined,
    });
  };
}

function runBackend(
  state: GitHostState,
  req: Request,
  res: Response,
  options: { pathInfo: string; remoteUser?: string },
) {
  const query = req.originalUrl.includes('?')
    ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
    : '';
  const env = isolatedGitEnv(state.stateDir, {
    GIT_PROJECT_ROOT: path.join(state.stateDir, 'repos'),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: options.pathInfo,
    REQUEST_METHOD: req.method,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: req.headers['content-length'],
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'],
    GIT_PROTOCOL: req.headers['git-protocol'] as string | undefined,
    REMOTE_USER: options.remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    GATEWAY_INTERFACE: 'CGI/1.1',
    // Committer identity for hooks and reflogs written during receive-pack.
    GIT_COMMITTER_NAME: options.remoteUser ?? 'anonymous',
    GIT_COMMITTER_EMAIL: `${options.remoteUser ?? 'anonymous'}@sankofa.local`,
  });
  const child = spawn(GIT_HTTP_BACKEND, [], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', d => stderr.push(d));
  child.on('error', err => {
    if (!res.headersSent) {
      res
        .status(500)
        .type('text/plain')
        .send(`git http-backend failed: ${err.message}\n`);
    }
  });
  child.stdin.on('error', () => {});
  req.pipe(child.stdin);
  req.on('aborted', () => child.kill());

  let headerBuf = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
      return;
    }
    headerBuf = Buffer.concat([headerBuf, chunk]);
    const sep = findHeaderEnd(headerBuf);
    if (!sep) {
      return;
    }
    headersDone = true;
    const head = headerBuf.subarray(0, sep.index).toString('latin1');
    const bodyStart = headerBuf.subarray(sep.index + sep.length);
    let status = 200;
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === 'status') {
        status = parseInt(value, 10) || 200;
      } else {
        res.setHeader(key, value);
      }
    }
    res.status(status);
    if (bodyStart.length > 0) {
      res.write(bodyStart);
    }
  });
  child.on('close', code => {
    if (!headersDone) {
      if (!res.headersSent) {
        res
          .status(500)
          .type('text/plain')
          .send(
            `git http-backend exited ${code}: ${Buffer.concat(stderr).toString(
              'utf8',
            )}`,
          );
      }
      return;
    }
    res.end();
  });
}

function findHeaderEnd(buf: Buffer) {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    return { index: crlf, length: 4 };
  }
  if (lf >= 0) {
    return { index: lf, length: 2 };
  }
  return undefined;
}
