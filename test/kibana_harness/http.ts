/**
 * Kibana's HTTP layer for the harness (node:http): the router a plugin registers routes with (and
 * the checks Kibana makes at registration), and a request's way to its handler: Kibana's route path
 * syntax, Basic authentication (401), `kbn-xsrf` on writes (400), the route's
 * `security.authz.requiredPrivileges` against the caller's API privileges (403), the RouteValidator
 * (400 `[request body.field]: …`), the response factory, and answers serialised as Kibana does.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRoute } from './types';

/** What serving a request needs from the Kibana it runs in. */
export interface HttpHost {
  readonly routes: RecordedRoute[];
  /** The username of a request's credentials, or null. */
  authenticate(headers: Record<string, unknown>): string | null;
  /** The API privileges a user holds. */
  apiPrivileges(user: string): Set<string>;
  /** The `core` a route handler's context resolves to, for this request of this user. */
  requestCore(user: string, headers: Record<string, unknown>): unknown;
  /** Where an error a handler threw is logged. */
  logError(message: string): void;
}

/** `core.http.createRouter()`: records routes into `routes`, refusing what Kibana refuses. */
export function createRouter(routes: RecordedRoute[]): unknown {
  const register = (method: string) => (config: RecordedRoute['config'], handler: RecordedRoute['handler']) => {
    if (!config.path.startsWith('/')) throw new Error(`Expected route path to start with a slash, but got [${config.path}]`);
    if (config.validate !== false && typeof config.validate !== 'object') throw new Error(`Expected a valid validation logic declared with '@kbn/config-schema' package or a RouteValidationFunction at key: [validate]`);
    if (method === 'get' && config.validate && config.validate.body) throw new Error(`[${method.toUpperCase()} ${config.path}] has validate.body: GET routes have no body`);
    if (!config.security?.authz) throw new Error(`Route [${method.toUpperCase()} ${config.path}] must declare security.authz`);
    if (routes.some((r) => r.method === method && r.path === config.path)) throw new Error(`Route [${method.toUpperCase()} ${config.path}] is already registered`);
    routes.push({ method, path: config.path, config, handler });
  };
  return { get: register('get'), post: register('post'), put: register('put'), delete: register('delete') };
}

/** Serves `host`'s routes on a free port of 127.0.0.1. */
export async function listen(host: HttpHost): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    serve(host, req, res).catch((e: Error) => {
      host.logError(e.stack ?? e.message);
      send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function serve(host: HttpHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toLowerCase();
  let params: Record<string, string> | null = null;
  const route = host.routes.find((r) => r.method === method && (params = matchPath(r.path, url.pathname)) !== null);
  if (!route || !params) return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });

  const user = host.authenticate(req.headers);
  if (!user) return send(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' });
  if (method !== 'get' && !req.headers['kbn-xsrf']) return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' });
  const api = host.apiPrivileges(user);
  const required = route.config.security?.authz?.requiredPrivileges ?? [];
  const missing = required.filter((p) => !api.has(p));
  if (missing.length > 0) {
    return send(res, 403, { statusCode: 403, error: 'Forbidden', message: `API [${method.toUpperCase()} ${url.pathname}] is unauthorized for user, this action is granted by the Kibana privileges [${required.join(',')}]` });
  }

  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  let body: unknown = null;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' });
    }
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [...([] as string[]).concat(query[k]), v] : v;

  // Kibana's RouteValidator: each declared part through its function, errors as `[request <part>.<path>]: …`.
  const validated: Record<string, unknown> = { params: {}, query: {}, body: {} };
  const factory = { ok: (value: unknown) => ({ value }), badRequest: (error: Error | string, p: string[] = []) => ({ error: Object.assign(typeof error === 'string' ? new Error(error) : error, { path: p }) }) };
  for (const [part, data] of [['params', params], ['query', query], ['body', body]] as const) {
    const fn = route.config.validate ? route.config.validate[part] : undefined;
    if (!fn) continue;
    const result = fn(data, factory);
    if (result.error) {
      const where = [`request ${part}`, ...(result.error.path ?? [])].join('.');
      return send(res, 400, { statusCode: 400, error: 'Bad Request', message: `[${where}]: ${result.error.message}` });
    }
    validated[part] = result.value;
  }

  const request = { params: validated.params, query: validated.query, body: validated.body, headers: req.headers, url, route: { path: route.path, method } };
  const core = host.requestCore(user, req.headers);
  const response = {
    ok: (o: { body?: unknown } = {}) => ({ status: 200, payload: o.body }),
    customError: (o: { statusCode: number; body?: { message: string } }) => {
      if (o.statusCode < 400 || o.statusCode >= 600) throw new Error(`Unexpected Http status code. Expected from 400 to 599, but given: ${o.statusCode}`);
      return { status: o.statusCode, payload: { statusCode: o.statusCode, error: STATUS_CODES[o.statusCode], message: o.body?.message ?? '' } };
    },
  };
  const out = await route.handler({ core: Promise.resolve(core) }, request, response);
  send(res, out.status, out.payload);
}

/** The `authorization` header of Basic credentials. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Kibana's route path syntax: `{name}` and `{name?}` segments. */
function matchPath(pattern: string, actual: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = actual.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i];
    const g = got[i];
    if (w === undefined) return null;
    const m = /^\{(\w+)(\?)?\}$/.exec(w);
    if (m) {
      if (g === undefined || g === '') {
        if (m[2]) continue;
        return null;
      }
      params[m[1]] = decodeURIComponent(g);
    } else if (w !== g) return null;
  }
  return params;
}
