// Conformance: date_nanos fields and sort values, as Elasticsearch answers them. From the REST
// YAML tests search/240_date_nanos.yml (nanosecond sort values, date_histogram in millis),
// search/90_search_after.yml ("date", "date_nanos", "Format sort values": search_after with the
// number or the formatted date, numeric_type across date and date_nanos indices) and
// search/630_format_sort_missing_dates.yml, and ES's SearchAfterBuilder and
// IndexFieldData.XFieldComparatorSource.missingObject (Long.MAX_VALUE / MIN_VALUE, ±Infinity, null).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useConformanceCluster } from './es_server/conformance';
import { ids, rawAnswer, responseError } from './es_server/test_helpers';

const es = useConformanceCluster();
const n = es.name;

async function dateIndices(): Promise<void> {
  await es.client.indices.create({ index: n('date_ns'), settings: { number_of_shards: 3 }, mappings: { properties: { date: { type: 'date_nanos' }, field: { type: 'long' } } } });
  await es.client.indices.create({ index: n('date_ms'), settings: { number_of_shards: 3 }, mappings: { properties: { date: { type: 'date' }, field: { type: 'long' } } } });
}

/** The `sort` arrays of a search, read from the wire text (digits intact). */
async function wireSorts(index: string, body: unknown): Promise<string[]> {
  const text = await rawAnswer(es.client, 'POST', `/${index}/_search`, body);
  return [...text.matchAll(/"sort":(\[[^\]]*\])/g)].map((m) => m[1]);
}

describe('conformance: date_nanos and sort values', () => {
  it('sorts date_nanos by epoch nanoseconds, written as JSON numbers above 2^53', async () => {
    await dateIndices();
    await es.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: n('date_ns'), _id: 'first' } },
        { date: '2018-10-29T12:12:12.123456789Z', field: 1 },
        { index: { _index: n('date_ns'), _id: 'second' } },
        { date: '2018-10-29T12:12:12.987654321Z', field: 2 },
      ],
    });
    assert.deepEqual(await wireSorts(n('date_ns*'), { sort: [{ date: 'desc' }] }), ['[1540815132987654321]', '[1540815132123456789]']);
    assert.deepEqual(await wireSorts(n('date_ns*'), { sort: [{ date: 'asc' }] }), ['[1540815132123456789]', '[1540815132987654321]']);
    // What the JavaScript client makes of them: the nearest double, not the long.
    const parsed = await es.client.search({ index: n('date_ns'), sort: [{ date: 'asc' }] });
    assert.equal(parsed.hits.hits[0].sort![0], 1540815132123456800);
    assert.notEqual(BigInt(parsed.hits.hits[0].sort![0] as number), 1540815132123456789n);
    // numeric_type "date" converts to epoch millis (safe as a double); a format gives exact text.
    const ms = await es.client.search({ index: n('date_ns'), sort: [{ date: { order: 'asc', numeric_type: 'date' } }] });
    assert.deepEqual(ms.hits.hits.map((h) => h.sort), [[1540815132123], [1540815132987]]);
    const text = await es.client.search({ index: n('date_ns'), sort: [{ date: { order: 'asc', format: 'strict_date_optional_time_nanos' } }] });
    assert.deepEqual(text.hits.hits.map((h) => h.sort), [['2018-10-29T12:12:12.123456789Z'], ['2018-10-29T12:12:12.987654321Z']]);
    // The formatted value pages exactly.
    const after = await es.client.search({ index: n('date_ns'), sort: [{ date: { order: 'asc', format: 'strict_date_optional_time_nanos' } }], search_after: ['2018-10-29T12:12:12.123456789Z'] });
    assert.deepEqual(ids(after), ['second']);
  });

  it('takes search_after back as the number or the formatted date, in the mapping\'s format', async () => {
    await es.client.indices.create({ index: n('test'), mappings: { properties: { timestamp: { type: 'date_nanos', format: 'yyyy-MM-dd HH:mm:ss.SSSSSS' } } } });
    await es.client.bulk({ refresh: true, index: n('test'), operations: [{ index: {} }, { timestamp: '2019-10-21 00:30:04.828740' }, { index: {} }, { timestamp: '2019-10-21 08:30:04.828733' }] });
    assert.deepEqual(await wireSorts(n('test'), { size: 1, sort: [{ timestamp: 'desc' }] }), ['[1571646604828733000]']);
    // The client sends 1571646604828733000 back as that literal; ES reads the literal.
    const byNumber = await es.client.search<{ timestamp: string }>({ index: n('test'), size: 1, sort: [{ timestamp: 'desc' }], search_after: [1571646604828733000] });
    assert.equal(byNumber.hits.hits[0]._source!.timestamp, '2019-10-21 00:30:04.828740');
    const byText = await es.client.search<{ timestamp: string }>({ index: n('test'), size: 1, sort: [{ timestamp: 'desc' }], search_after: ['2019-10-21 08:30:04.828733'] });
    assert.equal(byText.hits.hits[0]._source!.timestamp, '2019-10-21 00:30:04.828740');
    assert.deepEqual(await wireSorts(n('test'), { size: 1, sort: [{ timestamp: 'desc' }], search_after: ['2019-10-21 08:30:04.828733'] }), ['[1571617804828740000]']);
  });

  it('converts sort resolution across date and date_nanos indices with numeric_type, and formats the values', async () => {
    await es.client.indices.create({ index: n('test'), mappings: { properties: { timestamp: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss.SSS' } } } });
    await es.client.indices.create({ index: n('test_nanos'), mappings: { properties: { timestamp: { type: 'date_nanos', format: 'dd/MM/yyyy HH:mm:ss.SSS' } } } });
    await es.client.bulk({ refresh: true, index: n('test'), operations: ['2021-10-13 00:30:04.828', '2021-06-11 04:30:04.828', '2021-02-11 08:30:04.828'].flatMap((t) => [{ index: {} }, { timestamp: t }]) });
    await es.client.bulk({ refresh: true, index: n('test_nanos'), operations: ['21/08/2021 03:30:04.732', '20/05/2021 05:30:04.832', '15/04/2021 06:30:04.821'].flatMap((t) => [{ index: {} }, { timestamp: t }]) });
    const first = await es.client.search({ index: n('tes*'), size: 2, sort: [{ timestamp: { order: 'asc', format: 'strict_date_optional_time_nanos', numeric_type: 'date_nanos' } }] });
    assert.deepEqual(first.hits.hits.map((h) => [h._index, h.sort]), [[n('test'), ['2021-02-11T08:30:04.828Z']], [n('test_nanos'), ['2021-04-15T06:30:04.821Z']]]);
    const next = await es.client.search({ index: n('test*'), size: 2, sort: [{ timestamp: { order: 'asc', format: 'strict_date_optional_time_nanos', numeric_type: 'date' } }], search_after: ['2021-04-15T06:30:04.821Z'] });
    assert.deepEqual(next.hits.hits.map((h) => [h._index, h.sort]), [[n('test_nanos'), ['2021-05-20T05:30:04.832Z']], [n('test'), ['2021-06-11T04:30:04.828Z']]]);
    // A search_after the sort's format cannot read fails the shards.
    const [status, body] = await responseError(es.client.search({ index: n('test'), sort: [{ timestamp: { order: 'asc', format: 'epoch_millis' } }], search_after: ['2021-02-11T08:30:04.828Z'] }));
    assert.equal(status, 400);
    assert.match(body.error.root_cause[0].reason, /failed to parse date field/);
  });

  it('ranges over date_nanos with nanosecond bounds, rounding gt/lte up, and buckets date_histogram in millis', async () => {
    await dateIndices();
    await es.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: n('date_ns'), _id: 'ns_1' } },
        { date: '2018-10-29T12:12:12.123456789Z' },
        { index: { _index: n('date_ms'), _id: 'ms_1' } },
        { date: '2018-10-29T12:12:12.987Z' },
        { index: { _index: n('date_ns'), _id: 'ns_2' } },
        { date: '2018-10-30T12:12:12.123456789Z' },
        { index: { _index: n('date_ms'), _id: 'ms_2' } },
        { date: '2018-10-30T12:12:12.987Z' },
      ],
    });
    const matching = async (range: Record<string, string>): Promise<string[]> => ids(await es.client.search({ index: n('date_ns'), query: { range: { date: range } } })).sort();
    assert.deepEqual(await matching({ gte: '2018-10-29T12:12:12.123456789Z' }), ['ns_1', 'ns_2']);
    assert.deepEqual(await matching({ gt: '2018-10-29T12:12:12.123456789Z' }), ['ns_2']);
    assert.deepEqual(await matching({ lt: '2018-10-29T12:12:12.123456789Z' }), []);
    assert.deepEqual(await matching({ lte: '2018-10-29T12:12:12.123456789Z' }), ['ns_1']);
    assert.deepEqual(await matching({ gte: '2018-10-29T12:12:12.123456790Z' }), ['ns_2']);
    // lte a day (no time) reaches its last instant; "/d" rounds to the day.
    assert.deepEqual(await matching({ lte: '2018-10-29' }), ['ns_1']);
    assert.deepEqual(await matching({ gte: '2018-10-30T20:00:00Z||/d' }), ['ns_2']);
    const histogram = await es.client.search({ index: n('date*'), size: 0, aggs: { date: { date_histogram: { field: 'date', calendar_interval: '1d' } } } });
    const buckets = (histogram.aggregations!.date as { buckets: { key: number; key_as_string: string; doc_count: number }[] }).buckets;
    assert.deepEqual(buckets, [
      { key: 1540771200000, key_as_string: '2018-10-29T00:00:00.000Z', doc_count: 2 },
      { key: 1540857600000, key_as_string: '2018-10-30T00:00:00.000Z', doc_count: 2 },
    ]);
  });

  it('sorts a missing value with Long.MAX_VALUE / MIN_VALUE (numbers and dates), ±Infinity (doubles) or null (keywords)', async () => {
    await es.client.indices.create({
      index: n('gaps'),
      mappings: { properties: { t: { type: 'date' }, ns: { type: 'date_nanos' }, n: { type: 'long' }, d: { type: 'double' }, k: { type: 'keyword' } } },
    });
    await es.client.bulk({
      refresh: true,
      operations: [{ index: { _index: n('gaps'), _id: 'full' } }, { t: '2021-01-01T00:00:00Z', ns: '2021-01-01T00:00:00Z', n: 5, d: 1.5, k: 'a' }, { index: { _index: n('gaps'), _id: 'empty' } }, {}],
    });
    const MAX = '9223372036854775807';
    const MIN = '-9223372036854775808';
    const sorts = (field: string, opts: Record<string, unknown>) => wireSorts(n('gaps'), { sort: [{ [field]: opts }] });
    assert.deepEqual(await sorts('t', { order: 'asc' }), ['[1609459200000]', `[${MAX}]`]);
    assert.deepEqual(await sorts('t', { order: 'desc' }), ['[1609459200000]', `[${MIN}]`]);
    assert.deepEqual(await sorts('t', { order: 'asc', missing: '_first' }), [`[${MIN}]`, '[1609459200000]']);
    assert.deepEqual(await sorts('ns', { order: 'asc' }), ['[1609459200000000000]', `[${MAX}]`]);
    assert.deepEqual(await sorts('n', { order: 'asc' }), ['[5]', `[${MAX}]`]);
    assert.deepEqual(await sorts('n', { order: 'desc', missing: '_first' }), [`[${MAX}]`, '[5]']);
    assert.deepEqual(await sorts('n', { order: 'asc', missing: 7 }), ['[5]', '[7]']);
    assert.deepEqual(await sorts('d', { order: 'asc' }), ['[1.5]', '["Infinity"]']);
    assert.deepEqual(await sorts('d', { order: 'desc' }), ['[1.5]', '["-Infinity"]']);
    assert.deepEqual(await sorts('k', { order: 'asc' }), ['["a"]', '[null]']);
    assert.deepEqual(await sorts('k', { order: 'desc', missing: '_first' }), ['[null]', '["a"]']);
    // With a format a missing date is null (630_format_sort_missing_dates).
    assert.deepEqual(await sorts('t', { order: 'asc', format: 'strict_date_optional_time_nanos' }), ['["2021-01-01T00:00:00.000Z"]', '[null]']);
    // The JavaScript client reads Long.MAX_VALUE as 2^63 and writes it back as 9223372036854776000,
    // beyond a long: a date sort cannot read it back as search_after.
    const parsedMax = (await es.client.search({ index: n('gaps'), sort: [{ t: 'asc' }] })).hits.hits[1].sort![0];
    assert.equal(parsedMax, 2 ** 63);
    const [status, body] = await responseError(es.client.search({ index: n('gaps'), sort: [{ t: 'asc' }], search_after: [parsedMax] }));
    assert.equal(status, 400);
    assert.match(body.error.root_cause[0].reason, /failed to parse date field \[9223372036854776000\]/);
    // Paging past the last value reaches the doc that misses it (it sorts as Long.MAX_VALUE).
    const last = await es.client.search({ index: n('gaps'), sort: [{ n: 'asc' }], search_after: [5] });
    assert.deepEqual(ids(last), ['empty']);
  });

  it('refuses a date_nanos value before 1970', async () => {
    await dateIndices();
    const [status, body] = await responseError(es.client.index({ index: n('date_ns'), id: 'old', document: { date: '1969-12-31T23:59:59Z' } }));
    assert.equal(status, 400);
    assert.equal(body.error.type, 'document_parsing_exception');
    assert.equal(body.error.caused_by.reason, 'date[1969-12-31T23:59:59.000Z] is before the epoch in 1970 and cannot be stored in nanosecond resolution');
  });
});
