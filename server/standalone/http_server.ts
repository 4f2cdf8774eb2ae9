/**
 * The route table over plain Node HTTP, for the standalone server (development, demos, browser
 * tests): the same paths, validation, privileges and error shapes as under Kibana's router, plus
 * the built browser app from a folder. Every request first passes the guard (guard.ts): Host and
 * Origin, the token, and kbn-xsrf with a JSON body on writes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ZodType } from 'zod';
import { INTERNAL_API, PUBLIC_API, type ApiError, type Privilege } from '../../common/api';
import { PLUGIN_ID } from '../../common/fields';
import { HttpError, type RouteContext, type RouteDef } from '../routes/types';
import { Guard, type StandaloneAuth } from './guard';

export type { StandaloneAuth };

export interface StandaloneServerOptions {
  routes: RouteDef[];
  /** The context handlers get (one per server here: there is no per-user Elasticsearch identity). */
  context: RouteContext;
  /** What the caller may do. */
  privilegesOf(req: IncomingMessage): Privilege[];
  /** Folder with the built browser app (index.html and its assets); absent: API only. */
  appDir?: string;
  /** The token every caller must present, and other host names to answer to. */
  auth: StandaloneAuth;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1 << 20;

export function createStandaloneServer(opts: StandaloneServerOptions): Server {
  const table = compile(opts.routes);
  const guard = new Guard(opts.auth);
  const server = createServer((req, res) => {
    const address = server.address();
    guarded(req, res, guard, typeof address === 'object' && address ? address.address : undefined, table, opts).catch((e: unknown) => {
      opts.log?.(`unexpected error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
      if (!res.headersSent) sendError(res, 500, 'internal error (see the server log)');
      else res.end();
    });
  });
  return server;
}

interface CompiledRoute {
  def: RouteDef;
  method: string;
  pattern: RegExp;
  names: string[];
}

/** `/users/{user}/events` under each base it is served at → a matcher capturing one segment per parameter. */
function compile(routes: RouteDef[]): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const def of routes) {
    const names: string[] = [];
    const body = def.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    for (const base of def.public ? [INTERNAL_API, PUBLIC_API] : [INTERNAL_API]) {
      out.push({ def, method: def.method.toUpperCase(), pattern: new RegExp(`^${escape(base)}${body}$`), names });
    }
  }
  return out;
}

/** The guard's checks in order: where the request is addressed, who sends it, then what it writes. */
async function guarded(req: IncomingMessage, res: ServerResponse, guard: Guard, listenAddress: string | undefined, table: CompiledRoute[], opts: StandaloneServerOptions): Promise<void> {
  const refused = guard.checkAddress(req, listenAddress);
  if (refused) return sendError(res, refused.status, refused.message);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const isApi = url.pathname.startsWith(`${INTERNAL_API}/`) || url.pathname.startsWith(`${PUBLIC_API}/`) || url.pathname === CAPABILITIES_PATH;
  // The URL the server printed: trade the token for the cookie, and take it out of the address bar.
  const offered = url.searchParams.get('token');
  if (!isApi && offered !== null && (req.method === 'GET' || req.method === 'HEAD')) {
    if (!guard.isToken(offered)) return sendPage(res, 401, 'This link holds a wrong token: open the URL the server printed when it started.');
    url.searchParams.delete('token');
    res.writeHead(302, { location: `${url.pathname}${url.search}`, 'set-cookie': guard.setCookieHeader(req), 'cache-control': 'no-store' });
    return void res.end();
  }
  if (!guard.authenticated(req)) {
    if (!isApi) return sendPage(res, 401, 'This server needs its token: open the URL the server printed when it started (it carries the token once).');
    return sendError(res, 401, 'this server needs its token: send Authorization: Bearer <token> (the token the server printed at start), or open the printed URL in a browser first');
  }
  const badWrite = guard.checkWrite(req);
  if (badWrite) return sendError(res, badWrite.status, badWrite.message);
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return sendError(res, 400, `the path ${url.pathname} is not valid percent-encoding (a % must start an escape of UTF-8 bytes, like %C3%A9)`);
  }
  if (!isApi) return serveApp(req, res, pathname, opts.appDir);
  if (pathname === CAPABILITIES_PATH) return sendCapabilities(req, res, opts.privilegesOf(req));
  return handle(req, res, url, table, opts);
}

/**
 * Kibana's browser core asks `POST /api/core/capabilities` what the user may do and hands the
 * answer to apps (`application.capabilities`); the standalone page does the same, so the app
 * learns the manage privilege without calling a manage route to see whether it is refused.
 */
const CAPABILITIES_PATH = '/api/core/capabilities';

function sendCapabilities(req: IncomingMessage, res: ServerResponse, privileges: Privilege[]): void {
  if (req.method !== 'POST') return sendError(res, 405, `${req.method} is not allowed on ${CAPABILITIES_PATH}; use POST`);
  // Our feature's UI capabilities, as server/kibana/feature.ts grants them: read → show, all → show and manage.
  send(res, 200, { navLinks: {}, management: {}, catalogue: {}, [PLUGIN_ID]: { show: privileges.includes('read'), manage: privileges.includes('manage'), triage: privileges.includes('triage') } });
}

async function handle(req: IncomingMessage, res: ServerResponse, url: URL, table: CompiledRoute[], opts: StandaloneServerOptions): Promise<void> {
  const onPath = table.filter((r) => r.pattern.test(url.pathname));
  if (onPath.length === 0) return sendError(res, 404, `no route ${url.pathname}`);
  const match = onPath.find((r) => r.method === req.method);
  if (!match) return sendError(res, 405, `${req.method} is not allowed on ${url.pathname}; use ${[...new Set(onPath.map((r) => r.method))].join(', ')}`);
  if (!opts.privilegesOf(req).includes(match.def.privilege)) {
    return sendError(res, 403, `this needs the ${match.def.privilege} privilege of Digital Fingerprinting`);
  }

  const values = match.pattern.exec(url.pathname)!.slice(1);
  let rawBody: unknown;
  try {
    rawBody = await readJson(req);
  } catch (e) {
    return sendError(res, 400, (e as Error).message);
  }
  const input = {
    // Each segment decodes (the whole path did, so every escape in it is valid).
    params: Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(values[i])])),
    query: Object.fromEntries(url.searchParams),
    body: rawBody,
  };
  const validated: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = match.def.validate[part] as ZodType | undefined;
    if (!schema) {
      validated[part] = {};
      continue;
    }
    const parsed = schema.safeParse(input[part] ?? (part === 'body' ? {} : input[part]));
    if (!parsed.success) return sendError(res, 400, zodMessage(part, parsed.error.issues));
    validated[part] = parsed.data;
  }
  try {
    const result = await match.def.handler(opts.context, validated as never);
    send(res, 200, result ?? {});
  } catch (e) {
    if (e instanceof HttpError) return sendError(res, e.statusCode, e.message);
    opts.log?.(`${req.method} ${url.pathname} failed: ${(e as Error)?.stack ?? String(e)}`);
    sendError(res, 500, (e as Error)?.message ?? String(e));
  }
}

/** "[query.from]: Invalid input; [query.page]: ..." — each problem named by where it is. */
export function zodMessage(part: string, issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `[${[part, ...i.path.map(String)].join('.')}]: ${i.message}`).join('; ');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`request body is not JSON: ${(e as Error).message}`);
  }
}

const TYPES = new Map(Object.entries({ '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.map': 'application/json' }));

/** Files of the built app; any other path gets index.html (the app routes in the browser). `pathname`: decoded. */
async function serveApp(req: IncomingMessage, res: ServerResponse, pathname: string, appDir: string | undefined): Promise<void> {
  if (!appDir) return sendError(res, 404, 'this server was started without the browser app');
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, `${req.method} is not allowed here`);
  const root = path.resolve(appDir);
  const wanted = path.resolve(root, `.${pathname}`);
  const file = wanted.startsWith(root + path.sep) && (await isFile(wanted)) ? wanted : path.join(root, 'index.html');
  const content = await fs.readFile(file).catch(() => null);
  if (!content) return sendError(res, 404, `the app is not built in ${appDir}`);
  // no-cache: a rebuilt app is picked up on reload (this server is for development and tests).
  res.writeHead(200, { 'content-type': TYPES.get(path.extname(file)) ?? 'application/octet-stream', 'content-length': content.length, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : content);
}

async function isFile(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null))?.isFile() ?? false;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 415: 'Unsupported Media Type', 500: 'Internal Server Error' };

/** A browser's answer for the page: a line of text saying what to do. */
function sendPage(res: ServerResponse, status: number, message: string): void {
  const html = `<!doctype html><meta charset="utf-8"><title>Digital Fingerprinting</title><p>${message}</p>\n`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store' });
  res.end(html);
}

/** Kibana's error body: { statusCode, error, message }. */
function sendError(res: ServerResponse, statusCode: number, message: string): void {
  const body: ApiError = { statusCode, error: REASONS[statusCode] ?? 'Error', message };
  send(res, statusCode, body);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
