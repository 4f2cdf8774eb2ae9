// readEsEvents against the in-memory ES test server, through the official client over HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { EsPageInfo, EsSourceOptions, profileSourcePaths, readEsEvents } from '../server/engine/io/es/source';
import { PROFILES, resolveProfile } from '../server/engine/profiles';
import type { Profile } from '../server/engine/profiles';
import type { InputItem, RawEvent } from '../server/engine/types';

const es = useTestServer();

const INDEX = 'logs-auth';
const N = 2500;
const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const MIN = 60_000;

interface Seeded {
  id: string;
  doc: RawEvent;
  ts: number;
  pos: number; // position in indexing order (the _shard_doc tiebreak inside one index)
}

/** Doc i has @timestamp BASE + floor(i/3) minutes: three docs share each minute, so ties cross page
 *  boundaries (docs 999 and 1000 share minute 333). Docs are indexed in a shuffled order. */
async function seed(): Promise<Seeded[]> {
  await es.client.indices.create({ index: INDEX, mappings: { properties: { '@timestamp': { type: 'date' }, user: { properties: { name: { type: 'keyword' } } } } } });
  const out: Seeded[] = [];
  const operations: object[] = [];
  for (let pos = 0; pos < N; pos++) {
    const i = (pos * 7) % N; // a permutation of 0..N-1 (gcd(7, 2500) = 1)
    const ts = BASE + Math.floor(i / 3) * MIN;
    const id = `d${i}`;
    const doc: RawEvent = { '@timestamp': new Date(ts).toISOString(), user: { name: `user${i % 17}` }, event: { id: `e${i}`, outcome: i % 5 === 0 ? 'failure' : 'success' }, seq: i };
    operations.push({ index: { _index: INDEX, _id: id } }, doc);
    out.push({ id, doc, ts, pos });
  }
  const res = await es.client.bulk({ operations, refresh: true });
  assert.equal(res.errors, false);
  return out;
}

/** The order readEsEvents must produce: time, then (one index here) `_id`, whatever the indexing order. */
const expectedOrder = (docs: Seeded[]): Seeded[] => [...docs].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** The point in time's own order: time, then indexing position (`_shard_doc`). */
const pitOrder = (docs: Seeded[]): Seeded[] => [...docs].sort((a, b) => a.ts - b.ts || a.pos - b.pos);

async function readAll(opts: EsSourceOptions): Promise<{ items: InputItem[]; pages: EsPageInfo[] }> {
  const items: InputItem[] = [];
  const pages: EsPageInfo[] = [];
  for await (const item of readEsEvents(es.client, opts, (p) => pages.push(p))) items.push(item);
  return { items, pages };
}

type EventItem = Extract<InputItem, { kind: 'event' }>;
const events = (items: InputItem[]): EventItem[] =>
  items.map((it) => {
    assert.equal(it.kind, 'event');
    return it as EventItem;
  });
const docIds = (items: InputItem[]): string[] => events(items).map((e) => e.source.file.slice(INDEX.length + 1));
const count = (method: string, path: string | RegExp): number =>
  es.server.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).length;

describe('readEsEvents', () => {
  it('reads every document once, in time order, page by page, and closes the PIT', async () => {
    const docs = await seed();
    es.server.requests.length = 0;
    const { items, pages } = await readAll({ index: INDEX, pageSize: 1000 });
    const want = expectedOrder(docs);
    assert.equal(items.length, N);
    assert.deepEqual(docIds(items), want.map((d) => d.id));
    assert.equal(new Set(docIds(items)).size, N);
    const evs = events(items);
    // The event is the document itself: no _id / _index mixed in; source names index/id and the ordinal.
    evs.forEach((e, k) => {
      assert.deepEqual(e.event, want[k].doc);
      assert.deepEqual(e.source, { file: `${INDEX}/${want[k].id}`, line: k + 1 });
    });
    for (let k = 1; k < N; k++) assert.ok(Date.parse(evs[k].event['@timestamp'] as string) >= Date.parse(evs[k - 1].event['@timestamp'] as string));
    // A page never splits the documents of one time: page 1 takes the rest of minute 333 (docs
    // 999-1001) from the second search, page 2 the rest of minute 666 from the third.
    assert.deepEqual(pages.map((p) => p.count), [1002, 999, 499]);
    const pit = pitOrder(docs);
    assert.deepEqual(pages.map((p) => p.sort), [1001, 2000, 2499].map((k) => [pit[k].ts, pit[k].pos])); // _shard_doc: shard 0, doc position

    // One PIT opened, three searches (the short last page ends the read), one PIT close.
    assert.equal(count('POST', `/${INDEX}/_pit`), 1);
    assert.equal(count('POST', '/_search'), 3);
    assert.equal(count('DELETE', '/_pit'), 1);
    assert.equal(es.server.store.pits.size, 0);
    const searches = es.server.requests.filter((r) => r.path === '/_search').map((r) => r.body as any);
    assert.deepEqual(searches[0].sort, [{ '@timestamp': { order: 'asc', unmapped_type: 'date', numeric_type: 'date' } }, { _shard_doc: 'asc' }]);
    assert.equal(searches[0].size, 1000);
    assert.equal(searches[0].search_after, undefined);
    // Each search goes on after the last hit of the one before, not after the page handed out.
    assert.deepEqual(searches[1].search_after, [pit[999].ts, pit[999].pos]);
    assert.deepEqual(searches[2].search_after, [pit[1999].ts, pit[1999].pos]);
    assert.deepEqual(searches[0].pit.keep_alive, '2m');
  });

  it('an exact multiple of pageSize ends with one empty page that is not reported', async () => {
    await seed();
    es.server.requests.length = 0;
    const { items, pages } = await readAll({ index: INDEX, pageSize: 500 });
    assert.equal(items.length, N);
    assert.deepEqual(pages.map((p) => p.count), [501, 501, 498, 501, 499]); // minutes 166, 333 and 666 cross page boundaries
    assert.equal(count('POST', '/_search'), 6);
    assert.equal(count('DELETE', '/_pit'), 1);
  });

  it('filters on the half-open time range [from, to)', async () => {
    const docs = await seed();
    const iso = (m: number): string => new Date(BASE + m * MIN).toISOString();
    const inRange = (from: number, to: number): string[] => expectedOrder(docs.filter((d) => d.ts >= BASE + from * MIN && d.ts < BASE + to * MIN)).map((d) => d.id);

    const both = await readAll({ index: INDEX, from: iso(100), to: iso(200), pageSize: 128 });
    assert.equal(both.items.length, 300); // minutes 100..199, three docs each
    assert.deepEqual(docIds(both.items), inRange(100, 200));
    assert.deepEqual(both.pages.map((p) => p.count), [129, 129, 42]);

    // Epoch millis work as bounds too; `to` is exclusive, `from` inclusive.
    const millis = await readAll({ index: INDEX, from: BASE + 100 * MIN, to: BASE + 101 * MIN });
    assert.deepEqual(docIds(millis.items), inRange(100, 101));
    assert.deepEqual([...docIds(millis.items)].sort(), ['d300', 'd301', 'd302']);

    const fromOnly = await readAll({ index: INDEX, from: iso(800) });
    assert.equal(fromOnly.items.length, 100); // minutes 800..833: docs 2400..2499
    assert.deepEqual(docIds(fromOnly.items), inRange(800, 10_000));

    const toOnly = await readAll({ index: INDEX, to: iso(200) });
    assert.equal(toOnly.items.length, 600);
    assert.deepEqual(docIds(toOnly.items), inRange(-1, 200));

    const empty = await readAll({ index: INDEX, from: iso(5000) });
    assert.deepEqual(empty, { items: [], pages: [] });

    // An extra query filters next to the range.
    const q = await readAll({ index: INDEX, from: iso(100), to: iso(200), query: { term: { 'event.outcome': 'failure' } } });
    assert.deepEqual(docIds(q.items), inRange(100, 200).filter((id) => Number(id.slice(1)) % 5 === 0));
    assert.equal(q.items.length, 60);
    assert.equal(es.server.store.pits.size, 0);
  });

  it('limits _source to sourcePaths', async () => {
    const docs = await seed();
    const first = (n: number): Seeded[] => expectedOrder(docs).slice(0, n);
    const { items } = await readAll({ index: INDEX, sourcePaths: ['user.name', '@timestamp'], to: new Date(BASE + 2 * MIN).toISOString() });
    assert.deepEqual(
      events(items).map((e) => e.event),
      first(6).map((d) => ({ '@timestamp': d.doc['@timestamp'], user: d.doc.user })),
    );
    const none = await readAll({ index: INDEX, sourcePaths: [], to: new Date(BASE + MIN).toISOString() });
    assert.deepEqual(events(none.items).map((e) => [e.event, e.source.file]), first(3).map((d) => [{}, `${INDEX}/${d.id}`]));
    assert.deepEqual(first(6).map((d) => d.id).sort(), ['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
  });

  it('resumes strictly after a checkpoint, which never falls inside a run of equal timestamps', async () => {
    const docs = await seed();
    const full = await readAll({ index: INDEX, pageSize: 1000 });
    const checkpoint = full.pages[0].sort;
    // Docs 999 and 1000 share a minute: the first page ends after the tie.
    assert.equal(checkpoint[0], BASE + 333 * MIN);
    const rest = await readAll({ index: INDEX, pageSize: 1000, after: checkpoint });
    assert.equal(rest.items.length, 1498);
    assert.deepEqual(docIds(rest.items), docIds(full.items).slice(1002));
    assert.deepEqual(docIds(rest.items), expectedOrder(docs).slice(1002).map((d) => d.id));
    assert.deepEqual(events(rest.items).map((e) => e.source.line), Array.from({ length: 1498 }, (_, k) => k + 1));
    assert.deepEqual(rest.pages.map((p) => p.count), [1002, 496]); // minute 667 (docs 2001-2003) crosses the boundary

    // A checkpoint taken by a consumer that stops mid-read: only completed pages are reported.
    const seen: EsPageInfo[] = [];
    let n = 0;
    for await (const _ of readEsEvents(es.client, { index: INDEX, pageSize: 1000 }, (p) => seen.push(p))) {
      if (++n === 1500) break;
    }
    assert.equal(seen.length, 1);
    const resumed = await readAll({ index: INDEX, after: seen[0].sort });
    assert.equal(resumed.items.length, 1498);
    await assert.rejects(readAll({ index: INDEX, after: [1] }), { message: 'after must hold the 2 sort values of a checkpoint ([@timestamp, _shard_doc]), got 1' });
  });

  it('reads the PIT snapshot: documents indexed after the read started are not seen', async () => {
    await seed();
    const gen = readEsEvents(es.client, { index: INDEX, pageSize: 1000 });
    const first = await gen.next();
    assert.equal(first.done, false);
    const ids = [docIds([first.value as InputItem])[0]];
    const late: object[] = [];
    for (let k = 0; k < 10; k++) late.push({ index: { _index: INDEX, _id: `late${k}` } }, { '@timestamp': new Date(BASE + (k * 50 + 1) * MIN).toISOString(), user: { name: 'late' } });
    await es.client.bulk({ operations: late, refresh: true });
    await es.client.delete({ index: INDEX, id: 'd2499', refresh: true }); // deleted after the snapshot: still read
    for (let r = await gen.next(); !r.done; r = await gen.next()) ids.push(docIds([r.value])[0]);
    assert.equal(ids.length, N);
    assert.equal(ids.filter((id) => id.startsWith('late')).length, 0);
    assert.equal(ids.includes('d2499'), true);
    assert.equal(es.server.store.pits.size, 0);
    // A new read sees the new state.
    const again = await readAll({ index: INDEX });
    assert.equal(again.items.length, N + 10 - 1);
  });

  it('closes the PIT when the consumer stops early', async () => {
    await seed();
    es.server.requests.length = 0;
    let n = 0;
    for await (const _ of readEsEvents(es.client, { index: INDEX, pageSize: 1000 })) {
      if (++n === 5) break;
    }
    assert.equal(count('POST', '/_search'), 2); // a full page is handed out once the next search says where its last time ends
    assert.equal(count('DELETE', '/_pit'), 1);
    assert.equal(es.server.store.pits.size, 0);

    // Stopping inside the second page, and via return() before the first item is taken.
    n = 0;
    for await (const _ of readEsEvents(es.client, { index: INDEX, pageSize: 1000 })) {
      if (++n === 1003) break;
    }
    assert.equal(count('POST', '/_search'), 5);
    assert.equal(count('DELETE', '/_pit'), 2);
    const gen = readEsEvents(es.client, { index: INDEX });
    await gen.next();
    await gen.return(undefined);
    assert.equal(count('DELETE', '/_pit'), 3);
    assert.equal(es.server.store.pits.size, 0);
  });

  it('closes the PIT when a page fails, and the error names the index and the ES reason', async () => {
    await seed();
    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_search', when: (req) => req.raw.includes('search_after'), status: 400, reason: 'injected bad page', times: 1 });
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of readEsEvents(es.client, { index: INDEX, pageSize: 1000 })) n++;
      })(),
      { message: `Elasticsearch read of index "${INDEX}" failed (search): HTTP 400 illegal_argument_exception: injected bad page` },
    );
    assert.equal(n, 0); // the first page waits for the second search, which fails
    assert.equal(count('DELETE', '/_pit'), 1);
    assert.equal(es.server.store.pits.size, 0);
  });

  it('a missing index gives an error naming it', async () => {
    await assert.rejects(readAll({ index: 'no-such-logs' }), (e: Error) => {
      assert.equal(e.message, 'Elasticsearch read of index "no-such-logs" failed (open point in time): HTTP 404 index_not_found_exception: no such index [no-such-logs]');
      return true;
    });
    assert.equal(count('DELETE', '/_pit'), 0);
    // A wildcard matching nothing is an empty read, not an error.
    assert.deepEqual(await readAll({ index: 'no-such-*' }), { items: [], pages: [] });
    await assert.rejects(readAll({ index: INDEX, pageSize: 0 }), { message: 'pageSize must be an integer in [1, 10000], got 0' });
  });

  it('reads a data stream through its backing index', async () => {
    await es.client.indices.putIndexTemplate({ name: 'logs-okta', index_patterns: ['logs-okta.system-*'], data_stream: {}, template: { mappings: { properties: { '@timestamp': { type: 'date' } } } } });
    const ds = 'logs-okta.system-default';
    const operations: object[] = [];
    for (let k = 0; k < 5; k++) operations.push({ create: { _index: ds, _id: `o${k}` } }, { '@timestamp': new Date(BASE + (4 - k) * MIN).toISOString(), okta: { actor: { id: `a${k}` } } });
    await es.client.bulk({ operations, refresh: true });
    const { items } = await readAll({ index: 'logs-okta.system-*', sourcePaths: profileSourcePaths(resolveProfile('okta')) });
    assert.deepEqual(events(items).map((e) => (e.event.okta as any).actor.id), ['a4', 'a3', 'a2', 'a1', 'a0']);
    assert.match(events(items)[0].source.file, /^\.ds-logs-okta\.system-default-\d{4}\.\d{2}\.\d{2}-000001\/o4$/);
  });
});

describe('profileSourcePaths', () => {
  it('lists user, display, time, id and feature paths once each, in that order', () => {
    const p: Profile = {
      name: 't',
      description: '',
      indexPattern: 'logs-*',
      userFields: ['user.id', 'user.name'],
      displayFields: ['user.name', 'user.email'],
      timestampFields: ['@timestamp'],
      idFields: ['event.id'],
      fields: [
        { name: 'country', paths: ['source.geo.country_iso_code', 'es.client.geo.country_iso_code'], kind: 'categorical' },
        { name: 'outcome', paths: ['event.outcome'], kind: 'binary', trueValues: ['failure'] },
        { name: 'country2', paths: ['es.client.geo.country_iso_code'], kind: 'categorical' },
      ],
      locationFeatures: [],
      appFeature: null,
      groups: [],
    };
    assert.deepEqual(profileSourcePaths(p), ['user.id', 'user.name', 'user.email', '@timestamp', 'event.id', 'source.geo.country_iso_code', 'es.client.geo.country_iso_code', 'event.outcome']);
    const { displayFields: _omit, ...noDisplay } = p;
    assert.deepEqual(profileSourcePaths(noDisplay).slice(0, 4), ['user.id', 'user.name', '@timestamp', 'event.id']);
  });

  it('covers every path of each built-in profile', () => {
    assert.deepEqual(Object.keys(PROFILES).sort(), ['azure-signin', 'cloudtrail', 'cloudtrail-flat', 'duo', 'generic-ecs', 'okta']);
    for (const name of Object.keys(PROFILES)) {
      const profile = resolveProfile(name);
      const paths = profileSourcePaths(profile);
      assert.equal(new Set(paths).size, paths.length);
      for (const p of [...profile.userFields, ...(profile.displayFields ?? []), ...profile.timestampFields, ...profile.idFields, ...profile.fields.flatMap((f) => f.paths)]) {
        assert.ok(paths.includes(p), `${name}: ${p}`);
      }
    }
  });
});
