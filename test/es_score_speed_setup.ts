// What the Elasticsearch scoring-speed tests share (es_score_speed_exact, es_score_speed_bytes):
// a cluster with a profile's models trained from an integration-like stream, the test period's
// events indexed in a stream of their own, and runs that each score into a namespace of their own,
// all deleted after; optionally the `_bulk` bodies the client sends, caught as sent.
import { after, before } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import type { Profile } from '../server/engine/profiles';
import type { RawEvent } from '../server/engine/types';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink, sinkOptionsOf } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { trainEsSource } from '../server/engine/jobs/es_train';
import type { EsScoreOptions } from '../server/engine/jobs/es_score';
import { closeScorePool } from '../server/engine/jobs/score_pool';

export type WriteMode = 'in_place' | 'scores';

export interface BenchOptions {
  /** Names the test's data set: `dfptest.<name><tag>`. */
  name: string;
  profile: Profile;
  train: RawEvent[];
  /** The test period's events, indexed after training. */
  test: RawEvent[];
  /** Training's epochs; it reads the training stream up to `to` (the test period's start). */
  epochs: number;
  to: number;
  /** Run after training, before the test events are indexed (to change a model, say). */
  afterTrain?(bench: EsScoreBench): Promise<void>;
  /** Wrap the client's bulk call so that catchBulk can see the bodies sent. */
  catchBulk?: boolean;
}

/** One run's own namespace and what every run passes scoreEsSource (its source over the test stream, the sink set up). */
export interface BenchRun {
  ns: string;
  options: Pick<EsScoreOptions, 'source' | 'profile' | 'store' | 'sink' | 'checkpoints'>;
}

/**
 * What every scoring run in these tests passes scoreEsSource: the source, the profile, the model
 * store and checkpoints in the cluster's owned indices, and a sink set up with quick retries.
 */
export async function runPieces(client: Client, names: { models: string; state: string }, source: SourceConfig, profile: Profile): Promise<BenchRun['options']> {
  const sink = new EsSink(client, sinkOptionsOf(source, profile, { retry: { baseDelayMs: 5, maxDelayMs: 20 } }));
  await sink.setup();
  return { source, profile, store: new EsModelStore(client, { index: names.models }), sink, checkpoints: new Checkpoints(client, { index: names.state }) };
}

export class EsScoreBench {
  cluster!: TestCluster;
  client!: Client;
  names!: { models: string; state: string };
  dataset!: string;
  /** The test period's events. */
  stream!: string;
  private runs = 0;
  private readonly namespaces: string[] = [];
  /** The `_bulk` bodies sent while set. */
  private caught: string[] | undefined;

  constructor(readonly o: BenchOptions) {}

  /** A model store object over the test's models index (a job makes one per run). */
  store(): EsModelStore {
    return new EsModelStore(this.client, { index: this.names.models });
  }

  source(ns: string, index: string, writeMode: WriteMode = 'scores'): SourceConfig {
    return parseSourceConfig({ id: `${this.cluster.tag}-${ns}`, profile: this.o.profile.name, index, namespace: ns, writeMode, settleSeconds: 0, initialLookbackHours: 24 * 3 });
  }

  /** A new run over the test stream: namespace `<prefix><n><tag>`, its scores stream deleted after. */
  async newRun(prefix: string, writeMode: WriteMode = 'scores'): Promise<BenchRun> {
    const ns = `${prefix}${this.runs++}${this.cluster.tag}`;
    this.namespaces.push(ns);
    return { ns, options: await runPieces(this.client, this.names, this.source(ns, this.stream, writeMode), this.o.profile) };
  }

  /** `f`'s result and the `_bulk` bodies the client sent while it ran (with `catchBulk` set). */
  async catchBulk<T>(f: () => Promise<T>): Promise<{ result: T; bodies: string[] }> {
    if (!this.o.catchBulk) throw new Error('the bench was made without catchBulk');
    const bodies: string[] = [];
    this.caught = bodies;
    try {
      return { result: await f(), bodies };
    } finally {
      this.caught = undefined;
    }
  }

  async setUp(): Promise<void> {
    const { profile } = this.o;
    await initBackend('wasm');
    this.cluster = await startCluster();
    this.client = this.cluster.client;
    this.names = ownedIndexNames(`.dfp-${this.cluster.tag}`);
    this.dataset = `dfptest.${this.o.name}${this.cluster.tag}`;
    const train = await indexLikeIntegration(this.client, profile, this.dataset, 'train', this.o.train);
    await trainEsSource(this.client, {
      source: this.source('train', train),
      profile,
      store: this.store(),
      backend: 'wasm',
      config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: this.o.epochs },
      minHistory: 120,
      to: this.o.to,
    });
    await this.o.afterTrain?.(this);
    this.stream = await indexLikeIntegration(this.client, profile, this.dataset, 'test', this.o.test);
    if (this.o.catchBulk) {
      // What the sink sends, as sent: the client's bulk call, wrapped.
      type Bulk = (params: { operations?: unknown }, ...rest: unknown[]) => unknown;
      const bulk = this.client.bulk.bind(this.client) as unknown as Bulk;
      (this.client as unknown as { bulk: Bulk }).bulk = (params, ...rest) => {
        if (this.caught && Buffer.isBuffer(params.operations)) this.caught.push(params.operations.toString('utf8'));
        return bulk(params, ...rest);
      };
    }
  }

  async tearDown(): Promise<void> {
    await closeScorePool();
    await cleanUp(this.client, {
      dataStreams: [`logs-${this.dataset}-train`, `logs-${this.dataset}-test`, ...this.namespaces.flatMap((ns) => [`logs-dfp.scores-${ns}`, `logs-dfp.user_risk-${ns}`])],
      indices: [this.names.models, this.names.state],
      indexTemplates: [`logs-${this.dataset}`],
    });
    await this.cluster.stop();
  }
}

/** A bench set up before the file's tests and torn down after them. */
export function esScoreBench(o: BenchOptions): EsScoreBench {
  const bench = new EsScoreBench(o);
  before(() => bench.setUp());
  after(() => bench.tearDown());
  return bench;
}
