// Conformance: what Elasticsearch refuses against a mapping. From the REST YAML test
// indices.put_mapping/10_basic.yml (fields and multi-fields added, "" and _doc refused) and ES's
// FieldMapper / ObjectMapper / DocumentParser / NumberFieldMapper messages: "mapper [x] cannot be changed from type [long] to [keyword]",
// "[1:10] failed to parse field [x] of type [long] in document with id '1'. Preview of field's value: 'abc'".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useConformanceCluster } from './es_server/conformance';
import { responseError } from './es_server/test_helpers';

const es = useConformanceCluster();
const n = es.name;

const typed = {
  properties: {
    bytes: { type: 'long' },
    ratio: { type: 'double' },
    user: { type: 'keyword' },
    ts: { type: 'date' },
    ok: { type: 'boolean' },
    host: { properties: { name: { type: 'keyword' } } },
    note: { type: 'text', fields: { raw: { type: 'keyword' } } },
  },
} as const;

describe('conformance: mappings refuse as Elasticsearch does', () => {
  it('refuses a mapping update that changes a mapped field, and applies nothing of it', async () => {
    await es.client.indices.create({ index: n('m'), mappings: typed });
    const refused = async (properties: Record<string, unknown>): Promise<string> => {
      const [status, body] = await responseError(es.client.indices.putMapping({ index: n('m'), properties: { added: { type: 'keyword' }, ...properties } as never }));
      assert.equal(status, 400);
      assert.equal(body.error.type, 'illegal_argument_exception');
      assert.deepEqual(body.error.root_cause, [{ type: 'illegal_argument_exception', reason: body.error.reason }]);
      return body.error.reason;
    };
    assert.equal(await refused({ bytes: { type: 'keyword' } }), 'mapper [bytes] cannot be changed from type [long] to [keyword]');
    assert.equal(await refused({ host: { properties: { name: { type: 'long' } } } }), 'mapper [host.name] cannot be changed from type [keyword] to [long]');
    assert.equal(await refused({ 'host.name': { type: 'long' } }), 'mapper [host.name] cannot be changed from type [keyword] to [long]');
    assert.equal(await refused({ host: { type: 'keyword' } }), "can't merge a non object mapping [host] with an object mapping");
    assert.equal(await refused({ user: { properties: { id: { type: 'keyword' } } } }), 'mapper [user] cannot be changed from type [keyword] to [ObjectMapper]');
    assert.equal(await refused({ note: { type: 'text', fields: { raw: { type: 'long' } } } }), 'mapper [note.raw] cannot be changed from type [keyword] to [long]');
    assert.match(await refused({ ts: { type: 'date', format: 'epoch_second' } }), /^Mapper for \[ts\] conflicts with existing mapper:\n\tCannot update parameter \[format\] from \[strict_date_optional_time\|\|epoch_millis\] to \[epoch_second\]$/);
    const mapping = (await es.client.indices.getMapping({ index: n('m') }))[n('m')].mappings;
    assert.equal(mapping.properties!.added, undefined);
    assert.equal(await refused({ '': { type: 'keyword' } }), 'field name cannot be an empty string');
    const typedPut = es.client.transport.request({ method: 'PUT', path: `/${n('m')}/_mapping`, body: { _doc: { properties: { field: { type: 'keyword' } } } } });
    const [typedStatus, typedBody] = await responseError(typedPut);
    assert.equal(typedStatus, 400);
    assert.equal(typedBody.error.reason, 'Types cannot be provided in put mapping requests');
    // The same type again, new fields and multi-fields, replaced meta are fine (indices.put_mapping/10_basic).
    await es.client.indices.putMapping({ index: n('m'), properties: { note: { type: 'text', fields: { raw: { type: 'keyword' }, more: { type: 'keyword' } } }, 'sub.text3': { type: 'text' } } });
    const updated = (await es.client.indices.getMapping({ index: n('m') }))[n('m')].mappings.properties!;
    assert.deepEqual(updated.note, { type: 'text', fields: { raw: { type: 'keyword' }, more: { type: 'keyword' } } });
    assert.deepEqual(updated.sub, { properties: { text3: { type: 'text' } } });
    await es.client.indices.putMapping({ index: n('m'), properties: { bytes: { type: 'long' }, added: { type: 'keyword' } } });
    assert.deepEqual((await es.client.indices.getMapping({ index: n('m') }))[n('m')].mappings.properties!.added, { type: 'keyword' });
  });

  it('refuses a document that does not fit its mapping with document_parsing_exception, writing nothing', async () => {
    await es.client.indices.create({ index: n('m'), mappings: typed });
    const refused = async (document: Record<string, unknown>): Promise<Record<string, any>> => {
      const [status, body] = await responseError(es.client.index({ index: n('m'), id: '1', document }));
      assert.equal(status, 400);
      assert.equal(body.error.type, 'document_parsing_exception');
      assert.equal(body.error.root_cause[0].reason, body.error.reason);
      assert.equal(body.error.root_cause[0].caused_by, undefined);
      return body.error;
    };
    assert.deepEqual(await refused({ bytes: 'abc' }), {
      root_cause: [{ type: 'document_parsing_exception', reason: "[1:10] failed to parse field [bytes] of type [long] in document with id '1'. Preview of field's value: 'abc'" }],
      type: 'document_parsing_exception',
      reason: "[1:10] failed to parse field [bytes] of type [long] in document with id '1'. Preview of field's value: 'abc'",
      caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "abc"' },
    });
    const ratio = await refused({ user: 'é', ratio: 'x1' });
    // Columns count bytes: "é" is two.
    assert.equal(ratio.reason, "[1:22] failed to parse field [ratio] of type [double] in document with id '1'. Preview of field's value: 'x1'");
    assert.deepEqual(ratio.caused_by, { type: 'number_format_exception', reason: 'For input string: "x1"' });
    const object = await refused({ user: { id: 7, name: 'x' } });
    assert.equal(object.reason, "[1:27] failed to parse field [user] of type [keyword] in document with id '1'. Preview of field's value: '{id=7, name=x}'");
    assert.deepEqual(object.caused_by, { type: 'illegal_state_exception', reason: "Can't get text on a START_OBJECT at 1:9" });
    const date = await refused({ ts: 'yesterday' });
    assert.equal(date.reason, "[1:7] failed to parse field [ts] of type [date] in document with id '1'. Preview of field's value: 'yesterday'");
    assert.deepEqual(date.caused_by, {
      type: 'illegal_argument_exception',
      reason: 'failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]',
      caused_by: { type: 'date_time_parse_exception', reason: 'Failed to parse with all enclosed parsers' },
    });
    assert.deepEqual((await refused({ ok: 'yes' })).caused_by, { type: 'illegal_argument_exception', reason: 'Failed to parse value [yes] as only [true] or [false] are allowed.' });
    assert.equal((await refused({ host: 'web-1' })).reason, '[1:9] object mapping for [host] tried to parse field [host] as object, but found a concrete value');
    assert.equal((await refused({ bytes: [1, 'two'] })).reason, "[1:13] failed to parse field [bytes] of type [long] in document with id '1'. Preview of field's value: 'two'");
    assert.deepEqual((await refused({ bytes: 3e19 })).caused_by, { type: 'illegal_argument_exception', reason: 'Value [30000000000000000000] is out of range for a long' });
    assert.equal((await refused({ user: 'a', _id: 'x' })).reason, '[1:13] Field [_id] is a metadata field and cannot be added inside a document. Use the index API request parameters.');
    const [status] = await responseError(es.client.get({ index: n('m'), id: '1' }));
    assert.equal(status, 404);
    // Coercion: numeric strings and fractions go into a long.
    await es.client.index({ index: n('m'), id: 'c', document: { bytes: '12', ratio: '0.5', ok: 'true' }, refresh: true });
    await es.client.index({ index: n('m'), id: 'f', document: { bytes: 7.9 }, refresh: true });
    assert.equal((await es.client.count({ index: n('m'), query: { range: { bytes: { gte: 12, lte: 12 } } } })).count, 1);
    const sorted = await es.client.search({ index: n('m'), sort: [{ bytes: 'asc' }] });
    assert.deepEqual(sorted.hits.hits.map((h) => h.sort), [[7], [12]]);
  });

  it('fails only the misfit items of a bulk, with the error ES gives each', async () => {
    await es.client.indices.create({ index: n('m'), mappings: typed });
    const res = await es.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: n('m'), _id: 'a' } },
        { bytes: 1 },
        { index: { _index: n('m'), _id: 'b' } },
        { bytes: 'lots' },
        { create: { _index: n('m') } },
        { user: { nested: true } },
        { index: { _index: n('m'), _id: 'c' } },
        { bytes: 3 },
        { update: { _index: n('m'), _id: 'a' } },
        { doc: { ts: 'soon' } },
      ],
    });
    assert.equal(res.errors, true);
    const items = res.items.map((it) => Object.values(it)[0]);
    assert.deepEqual(items.map((it) => it.status), [201, 400, 400, 201, 400]);
    assert.deepEqual(items[1], {
      _index: n('m'),
      _id: 'b',
      status: 400,
      error: {
        type: 'document_parsing_exception',
        reason: "[1:10] failed to parse field [bytes] of type [long] in document with id 'b'. Preview of field's value: 'lots'",
        caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "lots"' },
      },
    });
    // An id-less create reports the id it generated.
    assert.equal(typeof items[2]._id, 'string');
    assert.match(items[2].error!.reason!, new RegExp(`in document with id '${items[2]._id}'`));
    assert.equal(items[4].error!.type, 'document_parsing_exception');
    assert.equal((await es.client.count({ index: n('m') })).count, 2);
    assert.equal((await es.client.get<{ ts?: string }>({ index: n('m'), id: 'a' }))._source!.ts, undefined);
  });

  it('refuses new fields under dynamic: strict, and leaves the mapping alone when a document fails', async () => {
    await es.client.indices.create({ index: n('s'), mappings: { dynamic: 'strict', properties: { a: { type: 'keyword' }, o: { type: 'object', dynamic: true, properties: {} } } } });
    const [status, body] = await responseError(es.client.index({ index: n('s'), document: { a: 'x', b: 1 } }));
    assert.equal(status, 400);
    assert.equal(body.error.type, 'strict_dynamic_mapping_exception');
    assert.equal(body.error.reason, '[1:14] mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed');
    await es.client.index({ index: n('s'), document: { o: { free: 1 } } }); // an object's own dynamic wins
    const o = (await es.client.indices.getMapping({ index: n('s') }))[n('s')].mappings.properties!.o as { properties: unknown };
    assert.deepEqual(o.properties, { free: { type: 'long' } });

    // Dynamic mapping: a new field takes its first value's type, and a doc that fails adds nothing.
    await es.client.index({ index: n('d'), id: '1', document: { count: 1, name: 'x', when: '2026-01-01T00:00:00Z' } });
    const [, failed] = await responseError(es.client.index({ index: n('d'), id: '2', document: { count: 'many', extra: 'y' } }));
    assert.equal(failed.error.reason, "[1:10] failed to parse field [count] of type [long] in document with id '2'. Preview of field's value: 'many'");
    const props = (await es.client.indices.getMapping({ index: n('d') }))[n('d')].mappings.properties!;
    assert.deepEqual(props, {
      count: { type: 'long' },
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      when: { type: 'date' },
    });
    // Mixed values in one new array: the first maps the field, the next must fit it.
    const [, mixed] = await responseError(es.client.index({ index: n('d'), id: '3', document: { tags: [1, 'a'] } }));
    assert.equal(mixed.error.type, 'document_parsing_exception');
    assert.equal((await es.client.indices.getMapping({ index: n('d') }))[n('d')].mappings.properties!.tags, undefined);
  });

  it('lets ignore_malformed values through unindexed', async () => {
    await es.client.indices.create({ index: n('lenient'), settings: { 'index.mapping.ignore_malformed': true }, mappings: { properties: { n: { type: 'long' }, k: { type: 'keyword' } } } });
    await es.client.indices.create({ index: n('field'), mappings: { properties: { n: { type: 'long', ignore_malformed: true } } } });
    await es.client.index({ index: n('lenient'), id: '1', document: { n: 'abc' }, refresh: true });
    await es.client.index({ index: n('field'), id: '1', document: { n: 'abc' }, refresh: true });
    assert.equal((await es.client.count({ index: `${n('lenient')},${n('field')}`, query: { exists: { field: 'n' } } })).count, 0);
    assert.equal((await es.client.get<{ n: unknown }>({ index: n('field'), id: '1' }))._source!.n, 'abc');
    // ignore_malformed does not cover an object in a keyword.
    const [status] = await responseError(es.client.index({ index: n('lenient'), document: { k: { a: 1 } } }));
    assert.equal(status, 400);
  });
});
