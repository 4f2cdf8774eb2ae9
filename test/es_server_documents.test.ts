// The in-memory ES 8 test server, exercised only through the official client over real HTTP:
// indices, mappings, data streams, rollover, documents.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@elastic/elasticsearch';
import { ES_VERSION } from './es_server/server';
import { useTestServer } from './es_cluster';
import { plainClient, responseError, today, ids } from './es_server/test_helpers';

const es = useTestServer(plainClient);

describe('es test server: indices, mappings, data streams, rollover, documents', () => {
  it('answers root info and manages indices with mappings', async () => {
    const info = await es.client.info();
    assert.equal(info.version.number, ES_VERSION);
    assert.equal(info.tagline, 'You Know, for Search');
    assert.deepEqual(await es.client.indices.create({ index: 'dfp-models', mappings: { properties: { user: { type: 'keyword' } } } }), {
      acknowledged: true,
      shards_acknowledged: true,
      index: 'dfp-models',
    });
    const [status, body] = await responseError(es.client.indices.create({ index: 'dfp-models' }));
    assert.equal(status, 400);
    assert.equal(body.error.type, 'resource_already_exists_exception');
    assert.match(body.error.reason, /^index \[dfp-models\/[\w-]+\] already exists$/);
    assert.equal(body.error.root_cause[0].type, 'resource_already_exists_exception');
    assert.equal(await es.client.indices.exists({ index: 'dfp-models' }), true);
    assert.equal(await es.client.indices.exists({ index: 'nope' }), false);
    await es.client.indices.putMapping({ index: 'dfp-models', properties: { trained_at: { type: 'date' } } });
    await es.client.index({ index: 'dfp-models', id: 'u1', document: { user: 'alice', note: 'hello', n: 3 }, refresh: true });
    assert.deepEqual(await es.client.indices.getMapping({ index: 'dfp-models' }), {
      'dfp-models': {
        mappings: {
          properties: {
            user: { type: 'keyword' },
            trained_at: { type: 'date' },
            note: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
            n: { type: 'long' },
          },
        },
      },
    });
    const [s404, b404] = await responseError(es.client.search({ index: 'missing' }));
    assert.equal(s404, 404);
    assert.deepEqual(b404.error.root_cause[0], {
      type: 'index_not_found_exception',
      reason: 'no such index [missing]',
      'resource.type': 'index_or_alias',
      'resource.id': 'missing',
      index_uuid: '_na_',
      index: 'missing',
    });
    assert.deepEqual(await es.client.indices.delete({ index: 'dfp-models' }), { acknowledged: true });
    assert.equal(await es.client.indices.exists({ index: 'dfp-models' }), false);
  });

  it('routes data stream writes to a backing index and refuses non-create ops through the stream', async () => {
    await es.client.cluster.putComponentTemplate({ name: 'dfp-mappings', template: { mappings: { properties: { 'user.name': { type: 'keyword' } } } } });
    await es.client.indices.putIndexTemplate({ name: 'dfp-scores', index_patterns: ['logs-dfp.scores-*'], data_stream: {}, composed_of: ['dfp-mappings'], priority: 200 });
    const tmpl = await es.client.indices.getIndexTemplate({ name: 'dfp-scores' });
    assert.deepEqual(tmpl.index_templates[0].index_template.index_patterns, ['logs-dfp.scores-*']);
    const ds = 'logs-dfp.scores-default';
    const backing = `.ds-${ds}-${today()}-000001`;
    const bulk = await es.client.bulk({
      refresh: true,
      operations: [
        { create: { _index: ds, _id: 'a' } },
        { '@timestamp': '2026-01-01T00:00:00Z', user: { name: 'alice' }, dfp: { zscore: 1.5 } },
        { create: { _index: ds, _id: 'b' } },
        { '@timestamp': '2026-01-01T01:00:00Z', user: { name: 'bob' }, dfp: { zscore: 4 } },
        { index: { _index: ds, _id: 'c' } },
        { '@timestamp': '2026-01-01T02:00:00Z', user: { name: 'carol' } },
      ],
    });
    assert.equal(bulk.errors, true);
    assert.deepEqual(bulk.items.map((i) => Object.keys(i)[0]), ['create', 'create', 'index']);
    assert.equal(bulk.items[0].create!._index, backing);
    assert.equal(bulk.items[0].create!.status, 201);
    assert.equal(bulk.items[1].create!._seq_no, 1);
    assert.deepEqual(bulk.items[2].index!.error, { type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' });
    assert.equal(bulk.items[2].index!.status, 400);

    const got = await es.client.indices.getDataStream({ name: ds });
    assert.equal(got.data_streams.length, 1);
    assert.equal(got.data_streams[0].name, ds);
    assert.equal(got.data_streams[0].template, 'dfp-scores');
    assert.deepEqual(got.data_streams[0].indices.map((i) => i.index_name), [backing]);
    assert.deepEqual((await es.client.indices.getMapping({ index: backing }))[backing].mappings.properties!['user'], { properties: { name: { type: 'keyword' } } });

    const hits = await es.client.search({ index: ds, sort: [{ '@timestamp': 'asc' }] });
    assert.deepEqual(hits.hits.hits.map((h) => [h._index, h._id, h.sort]), [
      [backing, 'a', [Date.parse('2026-01-01T00:00:00Z')]],
      [backing, 'b', [Date.parse('2026-01-01T01:00:00Z')]],
    ]);
    // Wildcards reach the stream's docs through the stream; dot indices only when the pattern names them.
    await es.client.index({ index: '.dfp-internal', id: 'x', document: { a: 1 }, refresh: true });
    assert.deepEqual(ids(await es.client.search({ index: '*', sort: ['_doc'] })), ['a', 'b']);
    assert.deepEqual(ids(await es.client.search({ index: '.ds-logs-dfp*', sort: ['_doc'] })), ['a', 'b']);
    assert.deepEqual(ids(await es.client.search({ index: '.dfp-*' })), ['x']);

    const [st, body] = await responseError(es.client.update({ index: ds, id: 'a', doc: { dfp: { zscore: 2 } } }));
    assert.equal(st, 400);
    assert.deepEqual(body.error.root_cause, [{ type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' }]);
    const [st2, body2] = await responseError(es.client.index({ index: backing, id: 'a', document: { '@timestamp': '2026-01-01T00:00:00Z' } }));
    assert.equal(st2, 400);
    assert.equal(
      body2.error.reason,
      `index request with op_type=index and no if_primary_term and if_seq_no set targeting backing indices is disallowed, target corresponding data stream [${ds}] instead`,
    );
    const upd = await es.client.update({ index: backing, id: 'a', doc: { dfp: { zscore: 2 } }, refresh: true });
    assert.equal(upd.result, 'updated');
    assert.equal(upd._seq_no, 2);
    const doc = await es.client.get({ index: backing, id: 'a' });
    assert.deepEqual(doc._source, { '@timestamp': '2026-01-01T00:00:00Z', user: { name: 'alice' }, dfp: { zscore: 2 } });
  });

  it('hides unrefreshed docs from search but not from realtime get', async () => {
    await es.client.index({ index: 'vis', id: '1', document: { user: 'alice' } });
    const before = await es.client.search({ index: 'vis' });
    assert.deepEqual(before.hits.total, { value: 0, relation: 'eq' });
    assert.equal((await es.client.count({ index: 'vis' })).count, 0);
    const got = await es.client.get({ index: 'vis', id: '1' });
    assert.deepEqual([got.found, got._seq_no, got._primary_term, got._version, got._source], [true, 0, 1, 1, { user: 'alice' }]);
    assert.deepEqual(await es.client.indices.refresh({ index: 'vis' }), { _shards: { total: 2, successful: 1, failed: 0 } });
    assert.deepEqual(ids(await es.client.search({ index: 'vis' })), ['1']);
    const r = await es.client.index({ index: 'vis', id: '2', document: { user: 'bob' }, refresh: true });
    assert.equal(r.forced_refresh, true);
    assert.equal((await es.client.count({ index: 'vis' })).count, 2);
  });

  it('accepts gzip-compressed request bodies', async () => {
    const gz = new Client({ node: es.server.url, compression: true });
    try {
      const r = await gz.bulk({ refresh: true, operations: [{ index: { _index: 'gz', _id: '1' } }, { msg: 'x'.repeat(2000) }] });
      assert.equal(r.errors, false);
      assert.equal(es.server.requests.at(-1)!.headers['content-encoding'], 'gzip');
      assert.equal((await gz.count({ index: 'gz' })).count, 1);
    } finally {
      await gz.close();
    }
  });

  it('maps new fields through dynamic templates (match, path_match, match_mapping_type, placeholders)', async () => {
    await es.client.indices.create({
      index: 'dyn',
      mappings: {
        dynamic_templates: [
          { feature_z: { path_match: 'dfp.features.*.z', mapping: { type: 'float' } } },
          { feature_pred: { path_match: 'dfp.features.*.pred', mapping: { type: 'keyword', ignore_above: 1024 } } },
          { ips: { match_mapping_type: 'string', match: '*_ip', unmatch: 'internal_*', mapping: { type: 'ip' } } },
          { counts: { match_mapping_type: 'long', match: 'n_*', mapping: { type: 'integer', meta: { from: '{name}' } } } },
          { typed: { match: 'any_*', path_unmatch: 'skip.*', mapping: { type: '{dynamic_type}', doc_values: false } } },
        ],
      },
    });
    await es.client.index({
      index: 'dyn',
      id: '1',
      document: {
        dfp: { features: { hour: { z: 0, pred: 7 }, city: { z: 1.5, pred: 'Oslo' } } },
        src_ip: '10.0.0.1',
        internal_ip: '10.0.0.2',
        n_logins: 3,
        n_ratio: 0.5,
        any_text: 'x',
        any_num: 2.5,
        skip: { any_flag: true },
      },
    });
    const m = (await es.client.indices.getMapping({ index: 'dyn' })).dyn.mappings;
    const keyword256 = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    assert.deepEqual(m.properties, {
      dfp: {
        properties: {
          features: {
            properties: {
              hour: { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 } } },
              city: { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 } } },
            },
          },
        },
      },
      src_ip: { type: 'ip' },
      internal_ip: keyword256,
      n_logins: { type: 'integer', meta: { from: 'n_logins' } },
      n_ratio: { type: 'float' },
      any_text: { type: 'text', doc_values: false },
      any_num: { type: 'float', doc_values: false },
      skip: { properties: { any_flag: { type: 'boolean' } } },
    });
    // PUT _mapping replaces the dynamic_templates list, as ES's mapping-update merge does.
    await es.client.indices.putMapping({ index: 'dyn', dynamic_templates: [{ only: { match: 'zz', mapping: { type: 'keyword' } } }] });
    assert.deepEqual((await es.client.indices.getMapping({ index: 'dyn' })).dyn.mappings.dynamic_templates, [{ only: { match: 'zz', mapping: { type: 'keyword' } } }]);
  });

  it('rolls a data stream over to a new backing index built from the template and its component templates', async () => {
    const [st0, body0] = await responseError(
      es.client.indices.putIndexTemplate({ name: 'events', index_patterns: ['logs-ev-*'], data_stream: {}, priority: 150, composed_of: ['events@custom'] }),
    );
    assert.equal(st0, 400);
    assert.equal(body0.error.type, 'invalid_index_template_exception');
    assert.equal(body0.error.reason, 'index_template [events] invalid, cause [index template [events] specifies component templates [events@custom] that do not exist]');
    await es.client.indices.putIndexTemplate({
      name: 'events',
      index_patterns: ['logs-ev-*'],
      data_stream: {},
      priority: 150,
      composed_of: ['events@custom'],
      ignore_missing_component_templates: ['events@custom'],
      template: { mappings: { properties: { user: { type: 'keyword' } }, dynamic_templates: [{ a: { match: 'a_*', mapping: { type: 'keyword' } } }] } },
    });
    const ds = 'logs-ev-default';
    const first = `.ds-${ds}-${today()}-000001`;
    const second = `.ds-${ds}-${today()}-000002`;
    await es.client.create({ index: ds, id: 'e1', document: { '@timestamp': '2026-01-01T00:00:00Z', user: 'alice' } });
    assert.equal((await es.client.indices.getMapping({ index: first }))[first].mappings.properties!['note'], undefined);

    await es.client.cluster.putComponentTemplate({
      name: 'events@custom',
      template: { mappings: { properties: { note: { type: 'keyword' } }, dynamic_templates: [{ a: { match: 'a_*', mapping: { type: 'long' } } }, { b: { match: 'b_*', mapping: { type: 'ip' } } }] } },
    });
    const [st1, body1] = await responseError(es.client.cluster.putComponentTemplate({ name: 'events@custom', create: true, template: {} }));
    assert.deepEqual([st1, body1.error.type, body1.error.reason], [400, 'illegal_argument_exception', 'component template [events@custom] already exists']);

    const dry = await es.client.indices.rollover({ alias: ds, dry_run: true });
    assert.deepEqual([dry.dry_run, dry.rolled_over, dry.old_index, dry.new_index], [true, false, first, second]);
    const rolled = await es.client.indices.rollover({ alias: ds });
    assert.deepEqual(rolled, { acknowledged: true, shards_acknowledged: true, old_index: first, new_index: second, rolled_over: true, dry_run: false, lazy: false, conditions: {} });
    const mapping = (await es.client.indices.getMapping({ index: second }))[second].mappings;
    assert.deepEqual(mapping.properties!['note'], { type: 'keyword' });
    assert.deepEqual(mapping.properties!['user'], { type: 'keyword' });
    // Composition merges dynamic templates by name: the index template's `a` replaces the component's in place.
    assert.deepEqual(mapping.dynamic_templates, [{ a: { match: 'a_*', mapping: { type: 'keyword' } } }, { b: { match: 'b_*', mapping: { type: 'ip' } } }]);

    const w = await es.client.create({ index: ds, id: 'e2', document: { '@timestamp': '2026-01-02T00:00:00Z', user: 'bob' } });
    assert.equal(w._index, second);
    const got = await es.client.indices.getDataStream({ name: ds });
    assert.deepEqual(got.data_streams[0].indices.map((i) => i.index_name), [first, second]);
    assert.deepEqual([got.data_streams[0].generation, got.data_streams[0].template], [2, 'events']);
    await es.client.indices.refresh({ index: ds });
    assert.equal((await es.client.count({ index: ds })).count, 2);

    await es.client.indices.create({ index: 'plain' });
    const [st2, body2] = await responseError(es.client.indices.rollover({ alias: 'plain' }));
    assert.deepEqual([st2, body2.error.reason], [400, 'rollover target is a [concrete index] but one of [alias,data_stream] was expected']);
  });

  it('reads several documents in real time with _mget', async () => {
    await es.client.index({ index: 'mg', id: 'a', document: { n: 1 } });
    await es.client.index({ index: 'mg', id: 'a', document: { n: 2 } });
    const r = await es.client.mget({ docs: [{ _index: 'mg', _id: 'a' }, { _index: 'mg', _id: 'zz' }, { _index: 'nope', _id: 'a' }] });
    assert.deepEqual(r.docs[0], { _index: 'mg', _id: 'a', _version: 2, _seq_no: 1, _primary_term: 1, found: true, _source: { n: 2 } });
    assert.deepEqual(r.docs[1], { _index: 'mg', _id: 'zz', found: false });
    assert.equal((r.docs[2] as any).error.type, 'index_not_found_exception');
    const byIds = await es.client.mget({ index: 'mg', ids: ['a'], _source: false });
    assert.deepEqual(byIds.docs, [{ _index: 'mg', _id: 'a', _version: 2, _seq_no: 1, _primary_term: 1, found: true }]);
  });
});
