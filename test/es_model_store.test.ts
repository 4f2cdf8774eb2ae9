// EsModelStore against the in-memory ES test server, through the official client over HTTP.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { useTestServer } from './es_cluster';
import { EsModelStore, modelKey, type EsModelStoreOptions } from '../server/engine/io/es/model_store';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { ModelStore } from '../server/engine/io/model_store';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint, type FingerprintJson } from '../server/engine/model/fingerprint';
import { checksumOfBody } from '../server/engine/model/checksum';
import { makeRng } from '../server/engine/model/rng';
import type { FeatureValue } from '../server/engine/features/extract';

const es = useTestServer();
before(async () => {
  await initBackend('wasm');
});

const INDEX = '.dfp-models';
const P = 'test';
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };
const newStore = (opts: EsModelStoreOptions = {}): EsModelStore => new EsModelStore(es.client, { retry: FAST_RETRY, ...opts });

const schema = { names: ['app', 'n', 'b'], kinds: ['categorical' as const, 'numeric' as const, 'binary' as const] };
const config = { ...DEFAULT_AUTOENCODER_CONFIG, encoderLayers: [8, 4], decoderLayers: [8], epochs: 2 };

function rowsOf(n: number, seed: number): FeatureValue[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => [rng() < 0.7 ? 'mail' : 'crm', rng() * 3, rng() < 0.5 ? 1 : 0]);
}

/** A really trained (tiny) model: 40 rows, 2 epochs. The seed makes versions differ. */
function trainJson(user: string | null, version: number, seed = version, warmStart?: Fingerprint): FingerprintJson {
  const rows = rowsOf(40, seed);
  const fp = Fingerprint.train({
    profile: P,
    user,
    schema,
    rows,
    times: rows.map((_, i) => Date.UTC(2026, 2, 1) + i * 3_600_000),
    config: { ...config, seed },
    backend: 'wasm',
    version,
    warmStart,
  });
  const json = fp.json;
  fp.dispose();
  return json;
}

/** Docs of one kind in the index, as search sees them after a refresh. */
async function docs(query: Record<string, unknown> = {}): Promise<{ id: string; source: Record<string, unknown> }[]> {
  await es.client.indices.refresh({ index: INDEX });
  const filter = Object.entries(query).map(([field, value]) => ({ term: { [field]: value } }));
  const res = await es.client.search<Record<string, unknown>>({ index: INDEX, size: 1000, query: { bool: { filter } } });
  return res.hits.hits.map((h) => ({ id: h._id!, source: h._source! }));
}

const bulkRequests = () => es.server.requests.filter((r) => r.method === 'POST' && /\/_bulk$/.test(r.path));
/** The `_id`s of a logged bulk request's items, in order. */
const bulkIds = (r: { body: unknown }): string[] =>
  String(r.body)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, { _id?: string }>)
    .flatMap((l) => ['index', 'create', 'delete'].filter((a) => a in l).map((a) => l[a]._id!));

describe('EsModelStore', () => {
  it('round-trips a trained model through gzip chunks in a hidden index, written only on flush', async () => {
    const json = trainJson('alice', 1);
    const store = newStore();
    await store.save(json);
    assert.equal(bulkRequests().length, 0, 'save() buffers');
    assert.equal((await store.load(P, 'alice'))?.checksum, json.checksum, 'a buffered save is visible to its own store');
    await store.flush();
    assert.equal(bulkRequests().length, 1, 'one bulk for the flush');

    const fresh = newStore();
    const loaded = await fresh.load(P, 'alice');
    assert.deepEqual(loaded, json);
    const fp = Fingerprint.fromJson(loaded!); // verifies the model's own checksum
    const probe = rowsOf(5, 99);
    const original = Fingerprint.fromJson(json);
    assert.deepEqual(fp.score(probe).map((s) => s.zscore), original.score(probe).map((s) => s.zscore));
    fp.dispose();
    original.dispose();

    const settings = await es.client.indices.getSettings({ index: INDEX });
    assert.equal(settings[INDEX].settings?.index?.hidden, 'true');
    assert.equal(settings[INDEX].settings?.index?.number_of_shards, '1');
    const mapping = (await es.client.indices.getMapping({ index: INDEX }))[INDEX].mappings;
    assert.equal(String(mapping.dynamic), 'false');
    assert.equal(mapping.properties?.data?.type, 'binary');
    assert.equal(mapping.properties?.trained_at?.type, 'date');
    assert.equal(mapping.properties?.final_loss?.type, 'float');

    const key = modelKey(P, 'alice');
    const chunks = await docs({ doc_type: 'chunk' });
    assert.equal(chunks.length, 1);
    assert.match(chunks[0].id, new RegExp(`^${key}:v1:[0-9a-f]{16}:0$`));
    assert.ok(String(chunks[0].source.data).startsWith('H4sI'), 'base64 of gzip (1f 8b 08)');
    const [head] = await docs({ doc_type: 'head' });
    assert.equal(head.id, key);
    assert.deepEqual([head.source.user, head.source.active, head.source.latest], ['alice', 1, 1]);
  });

  it('splits a large model into chunks, sent in several bulks with the head after its chunks', async () => {
    const json = trainJson('alice', 1);
    const store = newStore({ chunkChars: 300, bulkBytes: 1200 });
    await store.save(json);
    await store.flush();
    const [meta] = await docs({ doc_type: 'version' });
    const chunks = await docs({ doc_type: 'chunk' });
    const storedChars = 4 * Math.ceil(Number(meta.source.stored_bytes) / 3);
    assert.equal(meta.source.chunks, Math.ceil(storedChars / 300));
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    assert.equal(chunks.length, meta.source.chunks);
    for (const c of chunks) assert.ok(String(c.source.data).length <= 300);

    const requests = bulkRequests().map(bulkIds);
    assert.ok(requests.length >= 2, 'no bulk request is much larger than bulkBytes');
    const key = modelKey(P, 'alice');
    const last = requests[requests.length - 1];
    assert.equal(last[last.length - 1], key, 'the head is the last item written');
    assert.equal(requests.flat().filter((id) => id === key).length, 1);
    assert.deepEqual(await newStore().load(P, 'alice'), json);
  });

  it('save() writes the buffer once it passes bulkBytes, without waiting for flush', async () => {
    const store = newStore({ bulkBytes: 1000 });
    await store.save(trainJson('alice', 1));
    assert.equal(bulkRequests().length > 0, true, 'the buffer was larger than 1000 bytes: written at once');
    const fresh = newStore();
    assert.equal((await fresh.load(P, 'alice'))?.version, 1, 'realtime GET: visible before any refresh');
  });

  it('versions, retention (keep 2), rollback, and the next save active again', async () => {
    const store = newStore({ keepVersions: 2 });
    const models = [1, 2, 3].map((v) => trainJson('alice', v));
    for (const m of models) await store.save(m);
    await store.flush();
    assert.deepEqual(await store.list(P), [{ user: 'alice', versions: [2, 3], active: 3 }]);
    assert.equal(await store.latestVersion(P, 'alice'), 3);
    assert.deepEqual((await docs({ version: 1 })).length, 0, 'version 1 metadata and chunks are gone');
    assert.deepEqual((await docs({ doc_type: 'version' })).map((d) => d.source.version).sort(), [2, 3]);
    assert.equal((await docs({ doc_type: 'chunk' })).length, 2);
    assert.equal(await store.load(P, 'alice', 1), null);

    await store.rollback(P, 'alice', 2);
    assert.equal((await store.load(P, 'alice'))?.checksum, models[1].checksum);
    assert.deepEqual((await store.versions(P, 'alice')).map((v) => [v.version, v.active]), [[2, true], [3, false]]);
    const other = newStore({ keepVersions: 2 });
    assert.equal((await other.load(P, 'alice'))?.version, 2, 'another process sees the rollback');
    assert.deepEqual(await other.list(P), [{ user: 'alice', versions: [2, 3], active: 2 }], 'list right after rollback');
    assert.equal(await other.latestVersion(P, 'alice'), 3);

    const v4 = trainJson('alice', 4);
    await store.save(v4);
    await store.flush();
    assert.equal((await other.load(P, 'alice'))?.checksum, v4.checksum, 'the next save is active again');
    assert.deepEqual(await other.list(P), [{ user: 'alice', versions: [3, 4], active: 4 }]);
    assert.equal((await docs({ version: 2 })).length, 0, 'version 2 pruned once no longer active');
  });

  it('retention never deletes the active version', async () => {
    const store = newStore({ keepVersions: 2 });
    await store.save(trainJson('alice', 1));
    await store.save(trainJson('alice', 3));
    await store.flush();
    await store.rollback(P, 'alice', 1);
    await store.save(trainJson('alice', 2)); // a late, older version: joins without becoming active
    await store.flush();
    assert.deepEqual(await newStore().list(P), [{ user: 'alice', versions: [1, 2, 3], active: 1 }]);
    assert.deepEqual((await docs({ doc_type: 'version' })).map((d) => d.source.version).sort(), [1, 2, 3]);
    assert.equal((await newStore().load(P, 'alice'))?.version, 1);
  });

  it('rollback to a version that is not stored names the stored ones', async () => {
    const store = newStore();
    await store.save(trainJson('alice', 1));
    await store.save(trainJson('alice', 2));
    await assert.rejects(store.rollback(P, 'alice', 7), {
      message: 'cannot roll back the model of user "alice" in profile test to version 7: stored versions: 1, 2',
    });
    await assert.rejects(store.rollback(P, 'bob', 1), {
      message: 'cannot roll back the model of user "bob" in profile test to version 1: it has no stored versions',
    });
    await assert.rejects(store.rollback(P, null, 1), /the generic model of profile test to version 1: it has no stored versions/);
    assert.equal((await store.load(P, 'alice'))?.version, 2, 'nothing changed');
  });

  it('a corrupted or missing chunk is a clear error naming user and version', async () => {
    const store = newStore({ chunkChars: 800 });
    const json = trainJson('arn:aws:iam::1:user/eve', 3);
    await store.save(json);
    await store.flush();
    const chunks = (await docs({ doc_type: 'chunk' })).sort((a, b) => Number(a.source.chunk) - Number(b.source.chunk));
    assert.ok(chunks.length >= 3);
    const target = chunks[1];
    const data = String(target.source.data);
    const flipped = data.slice(0, 10) + (data[10] === 'A' ? 'B' : 'A') + data.slice(11);
    await es.client.index({ index: INDEX, id: target.id, document: { ...target.source, data: flipped } });
    await assert.rejects(
      newStore().load(P, 'arn:aws:iam::1:user/eve'),
      /^Error: model of user "arn:aws:iam::1:user\/eve" in profile test, version 3: checksum mismatch, the stored chunks are corrupt \(sha256 [0-9a-f]{64} where [0-9a-f]{64} was saved\)$/,
    );
    await es.client.delete({ index: INDEX, id: target.id });
    await assert.rejects(
      newStore().load(P, 'arn:aws:iam::1:user/eve'),
      { message: `model of user "arn:aws:iam::1:user/eve" in profile test, version 3: chunk 2 of ${chunks.length} (document ${target.id}) is missing from .dfp-models` },
    );
  });

  it('with a key: models are signed in their metadata; one replaced with its checksum and stored sha256 recomputed is refused', async () => {
    const KEY = 'es-models-key-0123456789abcdef';
    const store = newStore({ key: KEY });
    await store.save(trainJson('alice', 1));
    await store.save(trainJson('carol', 1, 7));
    await store.flush();
    const fresh = newStore({ key: KEY });
    assert.equal((await fresh.load(P, 'carol'))?.user, 'carol');
    const [meta] = await docs({ doc_type: 'version', user: 'carol' });
    assert.match(String(meta.source.signature), /^hmac-sha256:[0-9a-f]{64}$/);

    // Someone who can write the index, but has not the key, replaces carol's model.
    const original = (await fresh.load(P, 'carol'))!;
    const { checksum: _, ...body } = structuredClone(original);
    body.trainedAt = '2030-01-01T00:00:00.000Z';
    const tampered = { ...body, checksum: checksumOfBody(body) };
    const stored = gzipSync(Buffer.from(JSON.stringify(tampered)));
    const [chunk] = await docs({ doc_type: 'chunk', key: modelKey(P, 'carol') });
    await es.client.index({ index: INDEX, id: chunk.id, document: { ...chunk.source, data: stored.toString('base64') } });
    await es.client.index({ index: INDEX, id: meta.id, document: { ...meta.source, checksum: tampered.checksum, stored_sha256: createHash('sha256').update(stored).digest('hex') } });
    await assert.rejects(newStore({ key: KEY }).load(P, 'carol'), /^Error: model of user "carol" in profile test, version 1: signature mismatch/);
    assert.equal((await newStore({ key: '' }).load(P, 'carol'))?.trainedAt, '2030-01-01T00:00:00.000Z', 'without a key the checksum alone cannot tell');

    // Saved without a key: unsigned, refused once signing is configured.
    const plain = newStore({ key: '' });
    await plain.save(trainJson('dave', 1));
    await plain.flush();
    await assert.rejects(newStore({ key: KEY }).load(P, 'dave'), /version 1: not signed, and this model store requires signatures/);
    assert.equal((await newStore({ key: 'another-key-0123456789abcdef' }).load(P, 'dave').catch((e: Error) => e.message)), 'model of user "dave" in profile test, version 1: not signed, and this model store requires signatures (DFP_MODELS_KEY is set): retrain it with the key, or unset the key');
    await assert.rejects(newStore({ key: 'another-key-0123456789abcdef' }).load(P, 'alice'), /signature mismatch/);
  });

  it('retries a bulk rejected as a whole (429)', async () => {
    es.server.faults.inject({ path: /_bulk$/, status: 429, times: 2 });
    const store = newStore();
    const json = trainJson('alice', 1);
    await store.save(json);
    await store.flush();
    assert.deepEqual(bulkRequests().map((r) => r.status), [429, 429, 200]);
    assert.deepEqual(await newStore().load(P, 'alice'), json);
  });

  it('retries only the bulk items rejected with 429, chunks before the head again', async () => {
    const store = newStore({ chunkChars: 1000 });
    const json = trainJson('alice', 1);
    const key = modelKey(P, 'alice');
    // The first chunk and the head are rejected once each.
    es.server.faults.bulkItemFailures({ predicate: (item) => item.id === key || /:0$/.test(item.id ?? ''), times: 2 });
    await store.save(json);
    await store.flush();
    const requests = bulkRequests();
    assert.equal(requests.length, 2);
    const retried = bulkIds(requests[1]);
    assert.equal(retried.length, 2, 'only the two rejected items are sent again');
    assert.match(retried[0], /:v1:[0-9a-f]{16}:0$/);
    assert.equal(retried[1], key);
    assert.deepEqual(await newStore().load(P, 'alice'), json);
  });

  it('a permanent item failure throws naming user, version and the reason; a rejection that never ends gives up', async () => {
    const store = newStore();
    es.server.faults.bulkItemFailures({ predicate: (item) => item.action === 'index' && /:0$/.test(item.id ?? ''), status: 400, errorType: 'mapper_parsing_exception', reason: 'failed to parse field [data]', times: 1 });
    await store.save(trainJson('bob', 2));
    await assert.rejects(store.flush(), {
      message: 'cannot write models to .dfp-models: model of user "bob" in profile test, version 2: mapper_parsing_exception: failed to parse field [data]',
    });

    es.server.reset();
    const busy = newStore({ retry: { ...FAST_RETRY, retries: 2 } });
    es.server.faults.bulkItemFailures({ every: 1 });
    await busy.save(trainJson('carol', 1));
    await assert.rejects(busy.flush(), /^Error: cannot write models to \.dfp-models \(after 3 attempts\): .*user "carol".*es_rejected_execution_exception/);
    assert.equal(bulkRequests().length, 3);
  });

  it('a fresh store instance sees what another saved: list (paged), latest, load, generic apart', async () => {
    const writer = newStore();
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    for (const u of users) await writer.save(trainJson(u, 1, users.indexOf(u) + 10));
    await writer.save(trainJson(null, 1));
    await writer.save(trainJson('alice', 2));
    await writer.flush();

    es.server.requests.length = 0;
    const reader = newStore({ pageSize: 2 });
    assert.deepEqual(await reader.list(P), [
      { user: 'alice', versions: [1, 2], active: 2 },
      ...users.slice(1).map((user) => ({ user, versions: [1], active: 1 })),
    ]);
    // 6 heads (5 users and the generic model) in pages of 2: 3 full pages and an empty one.
    assert.equal(es.server.requests.filter((r) => /_search$/.test(r.path)).length, 4);
    es.server.requests.length = 0;
    assert.equal(await reader.latestVersion(P, 'alice'), 2);
    assert.equal(await reader.latestVersion(P, 'zed'), 0);
    assert.equal(es.server.requests.length, 0, 'after a list, heads come from the cache');
    assert.equal(await newStore().latestVersion(P, null), 1, 'not listed: the head is read by id');
    assert.equal((await reader.load(P, null))?.generic, true);
    assert.deepEqual(await newStore().list('other-profile'), []);
  });

  it('two processes saving the same user at once: the head is merged, nothing is lost or left over', async () => {
    const a = newStore();
    const b = newStore();
    await a.save(trainJson('alice', 1));
    await a.flush();
    assert.equal(await a.latestVersion(P, 'alice'), 1); // a's cached head: version 1
    assert.equal(await b.latestVersion(P, 'alice'), 1);
    await b.save(trainJson('alice', 2));
    await b.flush();
    const v3 = trainJson('alice', 3);
    await a.save(v3); // a's head is stale: its conditional write conflicts, a re-reads and merges
    es.server.requests.length = 0;
    await a.flush();
    const key = modelKey(P, 'alice');
    const [first, second] = bulkRequests().map(bulkIds);
    assert.equal(first.at(-1), key);
    assert.deepEqual(second, [key], 'the head alone went again after the conflict');
    assert.ok(String(bulkRequests()[0].body).includes('"if_seq_no"'), 'the head write is conditional');
    assert.deepEqual(await newStore().list(P), [{ user: 'alice', versions: [1, 2, 3], active: 3 }]);
    assert.deepEqual(await b.load(P, 'alice'), v3);

    // Both save "version 4" with different contents: one wins, the other's documents are removed.
    assert.equal(await a.latestVersion(P, 'alice'), 3);
    assert.equal(await b.latestVersion(P, 'alice'), 3);
    const fromA = trainJson('alice', 4, 40);
    const fromB = trainJson('alice', 4, 41);
    await a.save(fromA);
    await b.save(fromB);
    await a.flush();
    await b.flush();
    const loaded = await newStore().load(P, 'alice');
    assert.equal(loaded?.checksum, fromB.checksum, 'the later head write holds its own version 4');
    Fingerprint.fromJson(loaded!).dispose();
    const v4docs = await docs({ version: 4 });
    assert.equal(v4docs.filter((d) => d.source.doc_type === 'version').length, 1);
    assert.equal(new Set(v4docs.map((d) => d.id.split(':')[2])).size, 1, 'only one version 4 left in the index');
    assert.deepEqual(await newStore().list(P), [{ user: 'alice', versions: [1, 2, 3, 4], active: 4 }]);
  });

  it('versions() metadata, including a warm start and the generic model', async () => {
    const store = newStore();
    const genericJson = trainJson(null, 1);
    const generic = Fingerprint.fromJson(genericJson);
    const warm = trainJson('bob', 1, 5, generic);
    generic.dispose();
    const own = trainJson('bob', 2);
    await store.save(genericJson);
    await store.save(warm);
    await store.flush();
    await store.save(own); // still buffered: versions() shows it too
    const expected = (m: FingerprintJson, active: boolean) => ({
      version: m.version,
      active,
      trainedAt: m.trainedAt,
      backend: 'wasm',
      rows: 40,
      trainingStart: '2026-03-01T00:00:00.000Z',
      trainingEnd: '2026-03-02T15:00:00.000Z',
      epochs: 2,
      finalLoss: m.training.lossHistory[1],
      ...(m.training.warmStartFrom ? { warmStartFrom: m.training.warmStartFrom } : {}),
      checksum: m.checksum,
      generic: m.generic,
      bytes: Buffer.byteLength(JSON.stringify(m)),
    });
    assert.equal(warm.training.warmStartFrom, 'generic@1');
    assert.deepEqual(await store.versions(P, 'bob'), [expected(warm, false), expected(own, true)]);
    await store.flush();
    assert.deepEqual(await newStore().versions(P, 'bob'), [expected(warm, false), expected(own, true)]);
    assert.deepEqual(await newStore().versions(P, null), [expected(genericJson, true)]);
    assert.deepEqual(await newStore().versions(P, 'nobody'), []);
    // The metadata is searchable for the UI.
    const metas = await docs({ doc_type: 'version', profile: P, generic: false, epochs: 2 });
    assert.deepEqual(metas.map((d) => [d.source.user, d.source.version, d.source.rows, d.source.backend]).sort(), [['bob', 1, 40, 'wasm'], ['bob', 2, 40, 'wasm']]);
  });

  it('odd user keys (ARNs, spaces, unicode, "null") each get their own model and ids', async () => {
    const users = ['arn:aws:iam::123456789012:role/Admin Role/../x', 'first last', 'Ünïcødé 用户 🚀', 'null', 'a"b\\c\n'];
    const store = newStore();
    for (const [i, u] of users.entries()) await store.save(trainJson(u, 1, i + 1));
    await store.save(trainJson(null, 1));
    await store.flush();
    const fresh = newStore();
    assert.deepEqual((await fresh.list(P)).map((u) => u.user), [...users].sort());
    for (const u of users) assert.equal((await fresh.load(P, u))?.user, u);
    assert.equal((await fresh.load(P, null))?.user, null, '"null" and the generic model are different models');
    for (const head of await docs({ doc_type: 'head' })) assert.match(head.id, /^[0-9a-f]{64}$/);
  });

  it('user names that are Object.prototype members are ordinary users', async () => {
    const users = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
    const store = newStore();
    assert.equal(await store.latestVersion(P, 'constructor'), 0);
    assert.equal(await store.load(P, 'toString'), null);
    assert.deepEqual(await store.versions(P, '__proto__'), []);
    for (const [i, u] of users.entries()) {
      await store.save(trainJson(u, 1, i + 1));
      await store.save(trainJson(u, 2, i + 11));
    }
    await store.flush();
    const fresh = newStore();
    assert.deepEqual((await fresh.list(P)).map((u) => [u.user, u.versions, u.active]), [...users].sort().map((u) => [u, [1, 2], 2]));
    for (const u of users) {
      assert.equal(await newStore().latestVersion(P, u), 2, u);
      assert.equal((await fresh.load(P, u))?.user, u, u);
      assert.deepEqual((await fresh.versions(P, u)).map((v) => v.version), [1, 2], u);
      await fresh.rollback(P, u, 1);
    }
    assert.ok((await newStore().list(P)).every((u) => u.active === 1));
  });

  it('behaves like the local-directory store on the same sequence of calls', async () => {
    const run = async (store: ModelStore): Promise<unknown[]> => {
      const out: unknown[] = [];
      for (let v = 1; v <= 4; v++) await store.save(trainJson('alice', v));
      await store.flush();
      out.push(await store.list(P));
      await store.rollback(P, 'alice', 3);
      out.push((await store.load(P, 'alice'))?.version, (await store.versions(P, 'alice')).map((i) => [i.version, i.active]));
      await store.save(trainJson('alice', 5));
      await store.flush();
      out.push(await store.list(P), await store.latestVersion(P, 'alice'));
      return out;
    };
    const fs = await run(new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-store-')), 3));
    const es = await run(newStore({ keepVersions: 3 }));
    assert.deepEqual(es, fs);
    assert.deepEqual(fs[0], [{ user: 'alice', versions: [2, 3, 4], active: 4 }]);
  });
});
