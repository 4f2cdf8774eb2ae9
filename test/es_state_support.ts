// What the state tests share: an in-memory ES test server with a fresh client per test (the state
// index is ensured once per client, and reset() forgets it and its template), settable clocks, and
// helpers over the request log.
import { after, afterEach, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { EsTestServer } from './es_server/server';
import { Lease } from '../server/engine/io/es/lease';

export const STATE = '.dfp-state';
export const BASE = Date.parse('2026-03-01T00:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A settable clock. */
export function clock(start = BASE): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface StateServer {
  readonly server: EsTestServer;
  readonly client: Client;
  /** The request path of a state document (the client URL-encodes the id's colon). */
  docPath(id: string): string;
  requestsTo(method: string, path: string): { status?: number }[];
  mustAcquire(opts: Parameters<typeof Lease.acquire>[1]): Promise<Lease>;
}

/** Registers the file's hooks: a server for the file, reset and a new client for each test. */
export function useStateServer(): StateServer {
  const server = new EsTestServer();
  let client: Client | undefined;
  before(async () => {
    await server.start();
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
    client = new Client({ node: server.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await client?.close();
  });
  const es: StateServer = {
    server,
    get client(): Client {
      if (!client) throw new Error('no client outside a test');
      return client;
    },
    docPath: (id) => `/${STATE}/_doc/${encodeURIComponent(id)}`,
    requestsTo: (method, path) => server.requests.filter((r) => r.method === method && r.path === path),
    mustAcquire: async (opts) => {
      const got = await Lease.acquire(es.client, opts);
      assert.ok(got instanceof Lease, `expected to acquire ${opts.name} as ${opts.holder}, but it is held by ${'heldBy' in got ? got.heldBy.holder : '?'}`);
      return got;
    },
  };
  return es;
}
