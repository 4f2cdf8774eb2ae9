// The model shelf keeps users' models between runs while the store names the same active version:
// by number and, where the store says, by content (EsModelStore: the stored bytes' sha256). A
// `.dfp-models` deleted and made again numbers from 1 again: the number alone would keep the old model.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { fingerprint } from './plugin_support';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { initBackend } from '../server/engine/model/backend';
import { checksumOfBody } from '../server/engine/model/checksum';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { ScoringModel } from '../server/engine/model/scoring_model';
import { keptModels, ModelShelf, runModels } from '../server/engine/jobs/model_shelf';

const es = useTestServer();
before(async () => {
  await initBackend('wasm');
});

const INDEX = '.dfp-models';
const PROFILE = 'azure-signin';

/** Another model (other weights) stored as the given version of `user`. */
function otherModel(user: string, version: number, seed: number): FingerprintJson {
  const json: FingerprintJson = { ...fingerprint(user, seed), version };
  const { checksum: _, ...body } = json;
  return { ...json, checksum: checksumOfBody(body) };
}

describe('ModelShelf with digests', () => {
  it('keeps a model for its version and digest only', () => {
    const shelf = new ModelShelf();
    const model = ScoringModel.fromJson(fingerprint('alice', 1));
    shelf.put('k', model, 1, 'aaa');
    assert.equal(shelf.get('k', 1, 'aaa'), model);
    assert.equal(shelf.get('k', 1, 'bbb'), undefined, 'same version, other content');
    assert.equal(shelf.get('k', 1), undefined, 'a listing without a digest is not the one kept');
    assert.equal(shelf.get('k', 2, 'aaa'), undefined, 'another version');
    shelf.put('n', null, undefined);
    assert.equal(shelf.get('n', undefined), null, 'no model while none is listed');
  });
});

describe('EsModelStore digests and the shelf', () => {
  it('names each active version by the digest of its stored content', async () => {
    const store = new EsModelStore(es.client, { index: INDEX });
    await store.save(fingerprint('alice', 1));
    const buffered = await store.activeModels(PROFILE);
    await store.flush();
    const stored = await new EsModelStore(es.client, { index: INDEX }).activeModels(PROFILE);
    assert.equal(stored.get('alice')?.version, 1);
    assert.match(stored.get('alice')?.digest ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(buffered.get('alice'), stored.get('alice'), 'a save not yet flushed is named the same');
    assert.deepEqual(await store.list(PROFILE), [{ user: 'alice', versions: [1], active: 1 }], 'list() is unchanged');
  });

  it('reads the model again when a recreated index holds another model under the same version', async () => {
    const source = `digest-test-${Date.now()}`;
    const run = async (): Promise<ScoringModel | null> => keptModels(await runModels(new EsModelStore(es.client, { index: INDEX }), PROFILE, { source }))('alice');

    const first = fingerprint('alice', 1);
    const writer = new EsModelStore(es.client, { index: INDEX });
    await writer.save(first);
    await writer.flush();
    const kept = await run();
    assert.equal(kept?.json.checksum, first.checksum);
    assert.equal(await run(), kept, 'the same stored version: the kept model');

    // `.dfp-models` deleted and made again: version 1 again, other weights.
    await es.client.indices.delete({ index: INDEX });
    const second = otherModel('alice', 1, 7);
    assert.notEqual(second.checksum, first.checksum);
    const store = new EsModelStore(es.client, { index: INDEX });
    await store.save(second);
    await store.flush();
    const again = await run();
    assert.notEqual(again, kept);
    assert.equal(again?.json.version, 1);
    assert.equal(again?.json.checksum, second.checksum, 'the model now stored, not the one kept');
  });
});
