import express, { Request, Response } from 'express';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import {
  badRequest,
  internalError,
  KubeApiError,
  methodNotAllowed,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from './errors';
import { KubeFaults } from './faults';
import { KindState, ObjectStore, PatchType } from './store';

export interface KubeApiServerOptions {
  /** The object store to serve; one is made from `storeFactory` when absent. */
  store: ObjectStore;
  /** Bearer token clients must send. */
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /**
   * Serve HTTPS with this certificate. Plain HTTP is enough for
   * @kubernetes/client-node, but kubectl (client-go) only sends bearer tokens
   * over TLS.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** How often watches with allowWatchBookmarks get a BOOKMARK event. Default 10 s. */
  bookmarkIntervalMs?: number;
}

export interface KubeApiServer {
  /** Base URL, e.g. http://127.0.0.1:16443 */
  url: string;
  token: string;
  store: ObjectStore;
  faults: KubeFaults;
  close(): Promise<void>;
}

interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

/** Splits `/api/v1/...` or `/apis/<g>/<v>/...` into its parts; undefined for non-resource paths. */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const segs = path
    .split('/')
    .filter(s => s.length > 0)
    .map(s => decodeURIComponent(s));
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 3) return undefined;
  return {
    group,
    version,
    namespace,
    plural: rest[0],
    name: rest[1],
    subresource: rest[2],
  };
}

function sendStatus(res: Response, err: KubeApiError) {
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(err.status.code)
    .type('application/json')
    .send(JSON.stringify(err.status));
}

function sendJson(res: Response, code: number, body: string) {
  res.status(code).type('application/json').send(body);
}

function queryString(req: Request, key: string): string | undefined {
  const v = req.query[key];
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return typeof v === 'string' ? v : undefined;
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function parseBody(req: Request): unknown {
  const text = typeof req.body === 'string' ? req.body : '';
  if (!text.trim()) throw badRequest('the request body is empty');
  const contentType = (
    req.headers['content-type'] ?? 'application/json'
  ).toLowerCase();
  try {
    if (contentType.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the request body is not valid ${
        contentType.includes('yaml') ? 'YAML' : 'JSON'
      }: ${(e as Error).message}`,
    );
  }
}

function patchTypeOf(req: Request, kind: KindState): PatchType {
  const contentType = (req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (contentType === 'application/merge-patch+json') return 'merge';
  if (contentType === 'application/json-patch+json') return 'json';
  // Strategic merge behaves like a merge patch for the few core kinds we serve;
  // the apiserver rejects it for custom resources.
  if (
    contentType === 'application/strategic-merge-patch+json' &&
    !kind.type.custom
  ) {
    return 'merge';
  }
  throw unsupportedMediaType(contentType || '(none)');
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw badRequest(`limit must be a non-negative integer, got "${value}"`);
  }
  return n;
}

/** Serves one ObjectStore over the Kubernetes API wire protocol (JSON over plain HTTP). */
export async function startKubeApiHttpServer(
  options: KubeApiServerOptions,
): Promise<KubeApiServer> {
  const { store, token } = options;
  const faults = new KubeFaults();
  const bookmarkInterval = options.bookmarkIntervalMs ?? 10_000;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  let serverAddress = '';

  app.get(['/healthz', '/livez', '/readyz'], (_req, res) => {
    res.type('text/plain').send('ok');
  });

  app.use((req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (header !== `Bearer ${token}`) {
      sendStatus(res, unauthorized());
      return;
    }
    const latency = faults.latencyMs();
    const proceed = () => {
      const failure = faults.takeFailure();
      if (failure !== undefined) {
        sendStatus(
          res,
          internalError(
            failure,
            `sandbox fault injection: request failed with ${failure}`,
          ),
        );
        return;
      }
      next();
    };
    if (latency > 0) setTimeout(proceed, latency);
    else proceed();
  });

  app.use(express.text({ type: () => true, limit: '16mb' }));

  const watch = (
    req: Request,
    res: Response,
    kind: KindState,
    namespace?: string,
  ) => {
    const pending: string[] = [];
    let live = false;
    const write = (line: string) => {
      if (live) res.write(line);
      else pending.push(line);
    };
    let unsubscribe: () => void;
    try {
      unsubscribe = store.watchEntries(
        kind,
        {
          namespace,
          labelSelector: queryString(req, 'labelSelector'),
          fieldSelector: queryString(req, 'fieldSelector'),
          resourceVersion: queryString(req, 'resourceVersion'),
        },
        (type, entry) => write(`{"type":"${type}","object":${entry.json}}\n`),
      );
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 410) {
        // Apiservers report an expired resourceVersion inside the stream.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`${JSON.stringify({ type: 'ERROR', object: e.status })}\n`);
        return;
      }
      throw e;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    if (pending.length > 0) res.write(pending.join(''));
    live = true;
    const timers: NodeJS.Timeout[] = [];
    let closed = false;
    let unregister = () => {};
    const cleanup = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      unregister();
      timers.forEach(t => clearTimeout(t));
    };
    const end = () => {
      cleanup();
      res.end();
    };
    unregister = faults.registerWatch(end);
    res.on('close', cleanup);
    if (isTrue(queryString(req, 'allowWatchBookmarks'))) {
      timers.push(
        setInterval(() => {
          res.write(
            `${JSON.stringify({
              type: 'BOOKMARK',
              object: {
                kind: kind.type.kind,
                apiVersion: kind.type.apiVersion,
                metadata: { resourceVersion: store.resourceVersion() },
              },
            })}\n`,
          );
        }, bookmarkInterval),
      );
    }
    const timeout = Number(queryString(req, 'timeoutSeconds'));
    if (timeout > 0) timers.push(setTimeout(end, timeout * 1000));
  };

  const handleResource = (req: Request, res: Response, path: ResourcePath) => {
    const kind = store.findType(path.group, path.version, path.plural);
    if (!kind) throw pathNotFound(req.path);
    const type = kind.type;
    if (path.namespace !== undefined && !type.namespaced)
      throw pathNotFound(req.path);
    const readOnly = !type.verbs.includes('create');
    if (path.name === undefined) {
      if (req.method === 'GET') {
        if (isTrue(queryString(req, 'watch'))) {
          watch(req, res, kind, path.namespace);
          return;
        }
        const list = store.listRaw(kind, {
          namespace: path.namespace,
          labelSelector: queryString(req, 'labelSelector'),
          fieldSelector: queryString(req, 'fieldSelector'),
          limit: parseLimit(queryString(req, 'limit')),
          continue: queryString(req, 'continue'),
        });
        const meta: Record<string, unknown> = {
          resourceVersion: list.resourceVersion,
        };
        if (list.continue) meta.continue = list.continue;
        if (list.remainingItemCount !== undefined) {
          meta.remainingItemCount = list.remainingItemCount;
        }
        const head = `{"apiVersion":${JSON.stringify(
          type.apiVersion,
        )},"kind":${JSON.stringify(type.listKind)},"metadata":${JSON.stringify(
          meta,
        )},"items":[`;
        res.status(200).type('application/json');
        res.send(`${head}${list.entries.map(e => e.json).join(',')}]}`);
        return;
      }
      if (req.method === 'POST' && !readOnly) {
        if (type.namespaced && path.namespace === undefined)
          throw methodNotAllowed();
        const created = store.createIn(kind, parseBody(req), {
          namespace: path.namespace,
        });
        sendJson(res, 201, JSON.stringify(created));
        return;
      }
      throw methodNotAllowed();
    }
    if (type.namespaced && path.namespace === undefined)
      throw pathNotFound(req.path);
    if (
      path.subresource !== undefined &&
      !(path.subresource === 'status' && type.statusSubresource)
    ) {
      throw pathNotFound(req.path);
    }
    const statusOnly = path.subresource === 'status';
    switch (req.method) {
      case 'GET': {
        const entry = store.getEntry(kind, path.namespace, path.name);
        sendJson(res, 200, entry.json);
        return;
      }
      case 'PUT': {
        if (readOnly) throw methodNotAllowed();
        const updated = store.updateIn(
          kind,
          parseBody(req),
          {
            namespace: path.namespace,
            name: path.name,
            requireResourceVersion: true,
          },
          statusOnly,
        );
        sendJson(res, 200, JSON.stringify(updated));
        return;
      }
      case 'PATCH': {
        if (readOnly) throw methodNotAllowed();
        const patchType = patchTypeOf(req, kind);
        const patched = store.patchIn(
          kind,
          path.namespace,
          path.name,
          parseBody(req),
          patchType,
          statusOnly,
        );
        sendJson(res, 200, JSON.stringify(patched));
        return;
      }
      case 'DELETE': {
        if (readOnly || statusOnly) throw methodNotAllowed();
        const deleted = store.deleteIn(kind, path.namespace, path.name);
        if (type.plural === 'events') {
          sendJson(
            res,
            200,
            JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: {
                name: path.name,
                kind: type.plural,
                uid: deleted.metadata.uid,
              },
            }),
          );
          return;
        }
        sendJson(res, 200, JSON.stringify(deleted));
        return;
      }
      default:
        throw methodNotAllowed();
    }
  };

  app.use((req, res) => {
    try {
      const types = store.types();
      const segs = req.path.split('/').filter(s => s);
      if (req.method === 'GET' && req.path === '/version') {
        res.json({
          major: '1',
          minor: '31',
          gitVersion: 'v1.31.0-sankofa-sandbox',
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2025-01-01T00:00:00Z',
          goVersion: 'go1.22',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
        return;
      }
      if (req.method === 'GET' && segs[0] === 'api' && segs.length <= 2) {
        const doc =
          segs.length === 1
            ? apiVersions(serverAddress)
            : apiResourceList(types, '', segs[1]);
        if (!doc) throw pathNotFound(req.path);
        res.json(doc);
        return;
      }
      if (req.method === 'GET' && segs[0] === 'apis' && segs.length <= 3) {
        let doc: object | undefined;
        if (segs.length === 1) doc = apiGroupList(types);
        else if (segs.length === 2) doc = apiGroupDocument(types, segs[1]);
        else doc = apiResourceList(types, segs[1], segs[2]);
        if (!doc) throw pathNotFound(req.path);
        res.json(doc);
        return;
      }
      const path = parseResourcePath(req.path);
      if (!path) throw pathNotFound(req.path);
      handleResource(req, res, path);
    } catch (e) {
      if (e instanceof KubeApiError) {
        sendStatus(res, e);
        return;
      }
      sendStatus(
        res,
        internalError(500, `internal error: ${(e as Error).message}`),
      );
    }
  });

  // Body-parser errors (too large, bad charset) also become Status objects.
  app.use((err: any, _req: Request, res: Response, _next: () => void) => {
    const code = typeof err?.status === 'number' ? err.status : 500;
    const e =
      code < 500
        ? badRequest(String(err?.message ?? err))
        : internalError(500, String(err?.message ?? err));
    e.status.code = code;
    sendStatus(res, e);
  });

  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, app)
    : http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  serverAddress = `${host}:${address.port}`;
  return {
    url: `${options.tls ? 'https' : 'http'}://${serverAddress}`,
    token,
    store,
    faults,
    close: async () => {
      faults.dropWatches();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
