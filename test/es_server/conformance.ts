// Where the conformance tests (test/es_conformance_*.test.ts) run: against the in-memory test
// server, or against a real cluster when ES_URL is set, so what they assert about Elasticsearch
// can be checked against Elasticsearch itself. Every name a test creates goes through `name()`
// (a per-run prefix); on a real cluster those indices, data streams and templates are deleted
// after each test. Tests that inject faults are skipped there (`needsTestServer`).
import { after, afterEach, before, beforeEach } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { NEEDS_TEST_SERVER, REAL_CLUSTER, TestCluster, startCluster } from '../es_cluster';
import { EsTestServer } from './server';

export interface ConformanceCluster {
  readonly client: Client;
  /** The in-memory server (fault injection); throws on a real cluster, where such tests are skipped. */
  readonly server: EsTestServer;
  /** `base` with this run's prefix: every index, data stream and template name a test creates. */
  name(base: string): string;
}

/** `skip` option for tests that need the in-memory server's faults. */
export const needsTestServer = NEEDS_TEST_SERVER;

export function useConformanceCluster(): ConformanceCluster {
  let cluster: TestCluster | undefined;
  let prefix = '';
  before(async () => {
    cluster = await startCluster();
    prefix = REAL_CLUSTER ? `${cluster.tag}-` : '';
  });
  after(async () => cluster?.stop());
  beforeEach(() => cluster?.server?.reset());
  afterEach(async () => {
    if (!REAL_CLUSTER || !cluster) return;
    const { client } = cluster;
    await client.indices.deleteDataStream({ name: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] }).catch(() => undefined);
    await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] }).catch(() => undefined);
  });
  const started = (): TestCluster => {
    if (!cluster) throw new Error('the cluster is not started yet (use it inside tests and hooks)');
    return cluster;
  };
  return {
    get client() {
      return started().client;
    },
    get server() {
      const { server } = started();
      if (!server) throw new Error('fault injection needs the in-memory test server');
      return server;
    },
    name: (base) => prefix + base,
  };
}
