// In-memory Elasticsearch 8 compatible HTTP server, for tests only. The official client talks to
// it over real HTTP on 127.0.0.1; answers (bodies, statuses, headers) follow ES 8.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { EsError, Json } from './errors';
import { handleBulk } from './bulk';
import { handleDocs, handleMget } from './docs';
import { Faults, errorFor } from './faults';
import { applyFilterPath } from './filter_path';
import { Req, Reply } from './http';
import { handleIndices } from './indices';
import { SearchApi } from './search';
import { parseBody, stringify } from './json';
import { Store } from './store';

export const ES_VERSION = '8.19.2';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Json; // parsed JSON, or the raw text for NDJSON bodies
  status?: number; // undefined when the socket was destroyed
}

export class EsTestServer {
  readonly store = new Store();
  readonly faults = new Faults(this.store);
  readonly requests: LoggedRequest[] = [];
  private readonly searchApi = new SearchApi(this.store, this.faults);
  private server?: Server;
  private port = 0;

  get url(): string {
    if (!this.server) throw new Error('EsTestServer not started');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      // Anything unexpected (a bad gzip body, a bug here) still answers, instead of hanging the client.
      this.onRequest(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' });
        res.end(JSON.stringify(new EsError(500, 'exception', String(e)).body()));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets all indices, templates, data streams, PITs, faults and the request log. */
  reset(): void {
    this.store.reset();
    this.faults.clear();
    this.requests.length = 0;
  }

  private async onRequest(inc: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of inc) chunks.push(c as Buffer);
    let buf = Buffer.concat(chunks);
    const enc = inc.headers['content-encoding'];
    if (enc === 'gzip') buf = gunzipSync(buf);
    else if (enc === 'deflate') buf = inflateSync(buf);
    const url = new URL(inc.url ?? '/', 'http://127.0.0.1');
    const raw = buf.toString('utf8');
    const req: Req = { method: (inc.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers: inc.headers, raw, body: undefined };
    const log: LoggedRequest = { method: req.method, path: req.path, query: Object.fromEntries(url.searchParams), headers: inc.headers, body: raw };
    this.requests.push(log);

    const compat = String(inc.headers.accept ?? '').includes('application/vnd.elasticsearch+json');
    const send = (reply: Reply, destroyMidway = false): void => {
      log.status = destroyMidway ? undefined : reply.status;
      const text = reply.body === undefined || req.method === 'HEAD' ? '' : stringify(reply.body);
      res.writeHead(reply.status, {
        'x-elastic-product': 'Elasticsearch',
        'content-type': compat ? 'application/vnd.elasticsearch+json;compatible-with=8' : 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      if (destroyMidway) {
        // Half a body then a dead socket: the client sees a connection error, not a response.
        res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
        return;
      }
      res.end(text);
    };

    const fault = this.faults.take(req);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.destroySocket === 'before') {
      log.status = undefined;
      inc.socket.destroy();
      return;
    }
    let reply: Reply;
    try {
      if (fault?.status) {
        throw errorFor(fault.status, fault.errorType, fault.reason);
      }
      const isBulk = /(^|\/)_bulk$/.test(req.path);
      if (!isBulk && raw.trim() !== '') {
        try {
          // Search bodies keep long literals exact (search_after on epoch nanos); documents do not need to.
          req.body = /(^|\/)(_search|_count)$/.test(req.path) ? parseBody(raw) : JSON.parse(raw);
        } catch (e) {
          throw new EsError(400, 'x_content_parse_exception', `[1:1] Unexpected character: ${(e as Error).message}`);
        }
        log.body = req.body;
      }
      reply = this.route(req);
      // Answers are filtered; errors are not (Elasticsearch builds them unfiltered).
      if (reply.body !== undefined && !reply.error && req.query.has('filter_path')) reply = { status: reply.status, body: applyFilterPath(reply.body, req.query.get('filter_path')) };
    } catch (e) {
      if (!(e instanceof EsError)) {
        reply = { status: 500, body: new EsError(500, 'exception', String((e as Error)?.stack ?? e)).body() };
      } else reply = { status: e.status, body: e.body() };
    }
    send(reply, fault?.destroySocket === 'mid-response');
  }

  private route(req: Req): Reply {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const m = req.method;
    const last = parts[parts.length - 1];
    const target = parts.length === 2 ? parts[0] : undefined;
    if (parts.length === 0 && (m === 'GET' || m === 'HEAD')) return { status: 200, body: rootInfo() };
    if (parts.length <= 2 && last === '_bulk' && (m === 'POST' || m === 'PUT')) {
      return handleBulk(this.store, req, target, this.faults.itemFault);
    }
    if (parts.length <= 2 && last === '_search' && (m === 'GET' || m === 'POST')) return this.searchApi.search(req, target);
    if (parts.length <= 2 && last === '_count' && (m === 'GET' || m === 'POST')) return this.searchApi.count(req, target);
    if (parts.length <= 2 && last === '_mget' && (m === 'GET' || m === 'POST')) return handleMget(this.store, req, target);
    if (parts.length <= 2 && last === '_refresh' && (m === 'GET' || m === 'POST')) return this.searchApi.refresh(target);
    if (parts.length === 2 && last === '_pit' && m === 'POST') return this.searchApi.openPit(req, parts[0]);
    if (parts.length === 1 && last === '_pit' && m === 'DELETE') return this.searchApi.closePit(req);
    const reply = handleIndices(this.store, req, parts) ?? handleDocs(this.store, req, parts);
    if (reply) return reply;
    return { status: 400, error: true, body: { error: `no handler found for uri [${req.path}] and method [${m}]`, status: 400 } };
  }
}

function rootInfo(): Json {
  return {
    name: 'es-test-node',
    cluster_name: 'es-test-cluster',
    cluster_uuid: 'Jt3Fi2yWQ3yc9NbqdcOtPw',
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'docker',
      build_hash: '0000000000000000000000000000000000000000',
      build_date: '2025-01-01T00:00:00.000000000Z',
      build_snapshot: false,
      lucene_version: '9.12.1',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

/** Starts a server on a random free port. */
export async function startEsTestServer(): Promise<EsTestServer> {
  return new EsTestServer().start();
}
