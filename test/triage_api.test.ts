/**
 * The triage API on single events (issue 17), through real HTTP to the standalone server over
 * scored files: a decision names an event by its source index and id (over files: the source's
 * name and the event's id, as the events API gives it); the server refuses events that do not
 * exist, and for "benign" takes the pattern from the event's own scores, never from the caller,
 * with the expiry of the decision or the server's setting. Recording needs dfp_triage.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Privilege, UserEventsResponse } from '../common/api';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';
import { patternOf } from '../server/engine/score/benign_suppression';
import { makeScoredData, type ScoredDoc } from './e2e/fixture';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-triage-api-'));
const NOW = Date.parse('2026-10-12T08:00:00.000Z');
const DAY = 86_400_000;
const TOKEN = 'triage-api-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'kbn-xsrf': 'test' };
const ROUTE = '/internal/dfp/sources/azure-signin/triage';
const servers: Server[] = [];
let docs: ScoredDoc[] = [];
let responder: string;
let reader: string;
/** The most anomalous event of the day, and its user. */
let worst: ScoredDoc;

async function listen(privileges: Privilege[], benignDays?: number): Promise<string> {
  const { context } = await fileContext(dir, () => NOW, 'kim', benignDays);
  const server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => privileges, appDir: path.join(dir, 'app'), auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, { method, headers: body ? { ...AUTH, 'content-type': 'application/json' } : AUTH, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

const stored = (): any[] => {
  try {
    return readFileSync(path.join(dir, 'triage.ndjson'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};

before(async () => {
  docs = await makeScoredData(dir);
  worst = [...docs].filter((d) => typeof d.dfp.zscore === 'number').sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0];
  responder = await listen(['read', 'triage']);
  reader = await listen(['read']);
});
after(() => {
  for (const s of servers) s.close();
});

describe('triage of single events over HTTP', () => {
  it('the events API names each event as triage does: the source and its own event id, not its file line', async () => {
    const user = worst.dfp.user as string;
    const res = await call(reader, 'GET', `/internal/dfp/users/${encodeURIComponent(user)}/events?source=azure-signin&from=2026-10-10T00:00:00Z&to=2026-10-13T00:00:00Z&perPage=100&onlyFlagged=false`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const events = (res.body as UserEventsResponse).events;
    assert.ok(events.length > 0);
    for (const e of events) assert.equal(e.source?.index, 'azure-signin');
    assert.ok(events.some((e) => e.source?.id === worst.event.id), "the worst event is named by its own event.id, not its file line");
  });

  it('marking an event benign: the server takes its pattern from the event and sets the expiry', async () => {
    const user = worst.dfp.user as string;
    const event = { index: 'azure-signin', id: worst.event.id as string };
    const made = await call(responder, 'POST', ROUTE, { user, event, status: 'benign', note: 'new admin tool' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const pattern = patternOf(worst.dfp);
    assert.ok(pattern.length > 0);
    assert.deepEqual(made.body.pattern, pattern, "the event's top features and their values, as scored");
    assert.deepEqual(made.body.pattern.map((p: { feature: string }) => p.feature), worst.dfp.top_features);
    assert.equal(made.body.until, new Date(NOW + 30 * DAY).toISOString(), 'the default: 30 days from the decision');
    assert.deepEqual(stored().at(-1), made.body, 'kept as answered');

    // Per decision, and the server's own setting.
    const short = await call(responder, 'POST', ROUTE, { user, event, status: 'benign', suppressDays: 2 });
    assert.equal(short.body.until, new Date(NOW + 2 * DAY).toISOString());
    const configured = await listen(['read', 'triage'], 7);
    assert.equal((await call(configured, 'POST', ROUTE, { user, event, status: 'benign' })).body.until, new Date(NOW + 7 * DAY).toISOString());
    // Other decisions keep no pattern.
    const watching = await call(responder, 'POST', ROUTE, { user, event, status: 'investigating' });
    assert.equal(watching.status, 200);
    assert.equal(watching.body.pattern, undefined);
    assert.equal(watching.body.until, undefined);
  });

  it('refuses a pattern from the caller, an event that does not exist, or one of another user, and stores nothing', async () => {
    const user = worst.dfp.user as string;
    const before = stored().length;
    const forged = await call(responder, 'POST', ROUTE, { user, event: { index: 'azure-signin', id: worst.event.id }, status: 'benign', pattern: [{ feature: 'app', value: 'x' }] });
    assert.equal(forged.status, 400);
    const missing = await call(responder, 'POST', ROUTE, { user, event: { index: 'azure-signin', id: 'no-such-event' }, status: 'benign' });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no scored event "azure-signin\/no-such-event"/);
    const otherIndex = await call(responder, 'POST', ROUTE, { user, event: { index: 'logs-elsewhere', id: worst.event.id }, status: 'compromised' });
    assert.equal(otherIndex.status, 404);
    const someoneElse = docs.find((d) => d.dfp.user !== user && typeof d.dfp.zscore === 'number')!;
    const notTheirs = await call(responder, 'POST', ROUTE, { user, event: { index: 'azure-signin', id: someoneElse.event.id }, status: 'benign' });
    assert.equal(notTheirs.status, 404, "another user's event is not this user's");
    assert.equal((await call(responder, 'POST', ROUTE, { user, status: 'benign', suppressDays: 3 })).status, 400, 'suppressDays is for an event marked benign');
    assert.equal(stored().length, before);
  });

  it('needs dfp_triage: a reader sees the decisions but cannot record one', async () => {
    const user = worst.dfp.user as string;
    const before = stored().length;
    const refused = await call(reader, 'POST', ROUTE, { user, event: { index: 'azure-signin', id: worst.event.id }, status: 'benign' });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /dfp_triage|triage/);
    assert.equal(stored().length, before);
    const read = await call(reader, 'GET', `${ROUTE}?user=${encodeURIComponent(user)}`);
    assert.equal(read.status, 200);
    assert.ok(read.body.current.some((r: any) => r.target.event?.id === worst.event.id && r.status === 'investigating'), "the event's state: its newest decision");
  });
});
