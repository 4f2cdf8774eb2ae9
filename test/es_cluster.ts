// The cluster the Elasticsearch integration tests run against: the in-memory test server, or a
// real cluster when ES_URL is set (ES_API_KEY / ES_USERNAME + ES_PASSWORD / ES_CA as for the CLI).
// Against a real cluster every name the tests create carries a random prefix and is deleted after;
// tests that need fault injection are skipped there.
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import type { Client, estypes } from '@elastic/elasticsearch';
import { EsTestServer } from './es_server/server';
import { connectionFromEnv, createEsClient } from '../server/engine/io/es/client';
import type { Profile } from '../server/engine/profiles';
import { profileSourcePaths } from '../server/engine/io/es/source';
import type { RawEvent } from '../server/engine/types';

export interface TestCluster {
  client: Client;
  /** Where it listens (credentials for a real cluster stay in the environment). */
  url: string;
  /** The in-memory server, for fault injection and request logs; undefined on a real cluster. */
  server?: EsTestServer;
  /** Lowercase letters and digits, unique per test run: prefixes every name a test creates. */
  tag: string;
  stop(): Promise<void>;
}

export const REAL_CLUSTER = Boolean(process.env.ES_URL);
/** `skip` for tests that inject faults or read the request log. */
export const NEEDS_TEST_SERVER = REAL_CLUSTER ? 'fault injection needs the in-memory test server' : false;

export async function startCluster(): Promise<TestCluster> {
  const tag = `t${randomBytes(4).toString('hex')}`;
  if (REAL_CLUSTER) {
    const env = connectionFromEnv();
    const client = createEsClient({ url: env.url!, apiKey: env.apiKey, username: env.username, password: env.password, caFile: env.caFile, insecure: process.env.ES_INSECURE === '1' });
    return { client, url: env.url!, tag, stop: () => client.close() };
  }
  const server = await new EsTestServer().start();
  // No transport retries: the engine's own retries (bulk items, withRetry) are what the fault
  // tests exercise, and the transport's backoff would only make them slow.
  const client = createEsClient({ url: server.url, maxRetries: 0 });
  return {
    client,
    url: server.url,
    server,
    tag,
    stop: async () => {
      await client.close();
      await server.stop();
    },
  };
}

/**
 * Deletes what a test made: data streams and indices matching `<pattern>` (comma-separated), and
 * index/component templates by name. Missing ones are fine.
 */
export async function cleanUp(client: Client, what: { dataStreams?: string[]; indices?: string[]; indexTemplates?: string[]; componentTemplates?: string[] }): Promise<void> {
  for (const name of what.dataStreams ?? []) await client.indices.deleteDataStream({ name }, { ignore: [404] }).catch(() => undefined);
  for (const index of what.indices ?? []) await client.indices.delete({ index, expand_wildcards: 'all' }, { ignore: [404] }).catch(() => undefined);
  for (const name of what.indexTemplates ?? []) await client.indices.deleteIndexTemplate({ name }, { ignore: [404] }).catch(() => undefined);
  for (const name of what.componentTemplates ?? []) await client.cluster.deleteComponentTemplate({ name }, { ignore: [404] }).catch(() => undefined);
}

/**
 * A data stream the way a Fleet integration sets one up: index template `logs-<dataset>` composed of
 * an optional `logs-<dataset>@custom`, with the profile's fields mapped (keywords, dates, numbers),
 * then the events indexed into `logs-<dataset>-<namespace>`.
 */
export async function indexLikeIntegration(client: Client, profile: Profile, dataset: string, namespace: string, events: RawEvent[]): Promise<string> {
  const properties: Record<string, unknown> = {};
  const numeric = new Set(profile.fields.filter((f) => f.kind === 'numeric').flatMap((f) => f.paths));
  for (const p of profileSourcePaths(profile)) {
    properties[p] = { type: profile.timestampFields.includes(p) ? 'date' : numeric.has(p) ? 'double' : 'keyword' };
  }
  properties['@timestamp'] = { type: 'date' };
  const name = `logs-${dataset}`;
  await client.indices.putIndexTemplate({
    name,
    index_patterns: [`${name}-*`],
    data_stream: {},
    priority: 200,
    composed_of: [`${name}@custom`],
    ignore_missing_component_templates: [`${name}@custom`],
    template: { mappings: { properties: nest(properties) as Record<string, estypes.MappingProperty> } },
  });
  const stream = `${name}-${namespace}`;
  for (let i = 0; i < events.length; i += 2000) {
    const operations = events.slice(i, i + 2000).flatMap((doc) => [{ create: { _index: stream } }, doc]);
    const res = await client.bulk({ operations, refresh: false });
    if (res.errors) throw new Error(`seeding ${stream} failed: ${JSON.stringify(res.items.find((it) => it.create?.error))}`);
  }
  await client.indices.refresh({ index: stream });
  return stream;
}

/** Dotted paths to the nested `properties` form every Elasticsearch version accepts. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const [path, def] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= { properties: {} };
      node = node[part].properties;
    }
    node[parts[parts.length - 1]] = def;
  }
  return root;
}

/**
 * An in-memory test server for one test file, reset before each test (faults, indices, request
 * log): registers the file's hooks. `es.client` talks to it with no transport retries, unless `makeClient` builds it otherwise.
 */
export function useTestServer(
  makeClient: (url: string) => Client = (url) => createEsClient({ url, maxRetries: 0 }),
): { readonly server: EsTestServer; readonly client: Client } {
  const server = new EsTestServer();
  let client: Client | undefined;
  before(async () => {
    await server.start();
    client = makeClient(server.url);
  });
  after(async () => {
    await client?.close();
    await server.stop();
  });
  beforeEach(() => server.reset());
  return {
    server,
    get client(): Client {
      if (!client) throw new Error('the test server is not started yet (use es.client inside tests and hooks)');
      return client;
    },
  };
}
