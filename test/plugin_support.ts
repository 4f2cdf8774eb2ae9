// Shared by the plugin suites: the BUILT plugin folder, loaded by the core stand-in
// (test/kibana_harness) over the in-memory Elasticsearch test server, and a really trained tiny
// fingerprint for the models routes. Each suite calls usePlugin() once at its top.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { buildPlugin } from '../scripts/build';
import { EsTestServer } from './es_server/server';
import { startKibana, type HarnessOptions, type KibanaHarness } from './kibana_harness';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint, type FingerprintJson } from '../server/engine/model/fingerprint';
import { makeRng } from '../server/engine/model/rng';

export const SOURCES = [{ id: 'azure', profile: 'azure-signin' }];

/** What a suite shares: the cluster, a client of its own, the built plugin's folder (set in `before`). */
export interface PluginFixture {
  es: EsTestServer;
  esClient: Client;
  pluginDir: string;
  /** A harness over a fresh cluster; stopped by the caller. */
  kibana(config?: Record<string, unknown>, opts?: Partial<Omit<HarnessOptions, 'pluginDir' | 'esUrl' | 'config'>>): Promise<KibanaHarness>;
  /** The `authorization` headers Elasticsearch saw on requests to a path matching `re`. */
  authsOn(re: RegExp): string[];
}

/** Builds the plugin and starts the cluster before the suite's tests; cleans up after them. */
export function usePlugin(): PluginFixture {
  let outDir = '';
  const es = new EsTestServer();
  const fx: PluginFixture = {
    es,
    esClient: undefined as unknown as Client,
    pluginDir: '',
    kibana: (config = { sources: SOURCES }, opts = {}) => {
      es.reset();
      return startKibana({ pluginDir: fx.pluginDir, esUrl: es.url, config, ...opts });
    },
    authsOn: (re) => es.requests.filter((r) => re.test(r.path)).map((r) => String(r.headers.authorization)),
  };
  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'dfp-plugin-test-'));
    ({ pluginDir: fx.pluginDir } = await buildPlugin({ kibanaVersion: '8.19.2', outDir, zip: false }));
    await es.start();
    fx.esClient = new Client({ node: es.url, maxRetries: 0 });
    await initBackend('wasm');
  });
  after(async () => {
    await fx.esClient.close();
    await es.stop();
    rmSync(outDir, { recursive: true, force: true });
  });
  return fx;
}

/** A really trained tiny fingerprint (engine code), for the models routes to find. */
export function fingerprint(user: string | null, version: number): FingerprintJson {
  const rng = makeRng(version);
  const rows = Array.from({ length: 40 }, () => [rng() < 0.7 ? 'mail' : 'crm', rng() * 3]);
  const fp = Fingerprint.train({
    profile: 'azure-signin',
    user,
    schema: { names: ['app', 'n'], kinds: ['categorical', 'numeric'] },
    rows,
    times: rows.map((_, i) => Date.UTC(2026, 2, 1) + i * 3_600_000),
    config: { ...DEFAULT_AUTOENCODER_CONFIG, encoderLayers: [8, 4], decoderLayers: [8], epochs: 2, seed: version },
    backend: 'wasm',
    version,
  });
  const json = fp.json;
  fp.dispose();
  return json;
}

export const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

/** The saved objects of one type the harness holds. */
export const ofType = (h: KibanaHarness, type: string) => [...h.savedObjects.objects.values()].filter((o) => o.type === type);
