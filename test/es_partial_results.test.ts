// Issue 16: Elasticsearch may answer a search 200 with only some shards' hits. The reads whose
// answers decide what happens next (which models exist, which users carry risk) must never take
// such an answer as the whole: they ask for allow_partial_search_results=false, retry, and fail
// loudly when the shards stay down. Over real HTTP with the production client settings.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { createEsClient } from '../server/engine/io/es/client';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { putUserRiskIndexTemplate, readUserRiskState, userRiskDocument, userRiskStreamName, writeUserRiskDocs } from '../server/engine/io/es/user_risk_stream';
import { IncompleteSearchError, requireWhole } from '../server/engine/io/es/whole_search';
import { isRetryableError } from '../server/engine/io/es/errors';
import { initBackend } from '../server/engine/model/backend';
import { fingerprint } from './plugin_support';
import { USER_RISK_MODEL } from '../server/engine/score/risk_model';
import { EsScoresReader } from '../server/data/es_scores_reader';
import { parseSourceConfig } from '../common/source_config';
import { resolveProfile } from '../server/engine/profiles';
import { errorResponse } from '../server/kibana/router';

const es = useTestServer((url) => createEsClient({ url })); // maxRetries 3, as in production
const FAST_RETRY = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };
before(async () => {
  await initBackend('wasm');
});

describe('the model list never reads a partial answer as "no model"', () => {
  const users = ['alice', 'bob', 'carol'];
  const save = async (): Promise<void> => {
    const writer = new EsModelStore(es.client, { retry: FAST_RETRY });
    for (const [i, u] of users.entries()) await writer.save(fingerprint(u, i + 1));
    await writer.flush();
  };

  it('a shard that fails once: the page is asked again and every model is listed', async () => {
    await save();
    es.server.faults.shardFailure({ index: '.dfp-models', times: 1 });
    const listed = await new EsModelStore(es.client, { retry: FAST_RETRY }).list('azure-signin');
    assert.deepEqual(listed.map((m) => m.user).sort(), users);
    const asked = es.server.requests.filter((r) => r.path.startsWith('/.dfp-models/_search'));
    assert.ok(asked.length >= 2, 'the failed page was asked again');
    assert.ok(asked.every((r) => r.query?.allow_partial_search_results === 'false'), 'partial results are refused up front');
  });

  it('a shard that stays down: listing fails with the reason instead of answering with fewer users', async () => {
    await save();
    es.server.faults.shardFailure({ index: '.dfp-models' });
    await assert.rejects(new EsModelStore(es.client, { retry: FAST_RETRY }).list('azure-signin'), /list the models of profile azure-signin.*(shard|partial)/is);
  });
});

describe('restoring user risk never drops users from a partial answer', () => {
  const stream = userRiskStreamName('default');
  const asOf = Date.UTC(2026, 2, 2);
  const doc = (user: string) =>
    userRiskDocument({
      user,
      asOf,
      risk: 12,
      contributions: [{ time: asOf - 3_600_000, evidence: 12, contribution: 12 * 2 ** (-1 / 6) }],
      peak: { risk: 12, time: asOf - 3_600_000, flagged: true },
      events: 3,
      threshold: 10,
      runId: 'run-1',
      sourceName: 'azure',
      namespace: 'default',
      model: USER_RISK_MODEL,
    });

  it('a shard that fails once is asked again; one that stays down fails the read', async () => {
    await putUserRiskIndexTemplate(es.client, FAST_RETRY);
    const report = await writeUserRiskDocs(es.client, stream, [doc('alice'), doc('bob')], { runId: 'run-1', retry: FAST_RETRY, refresh: true });
    assert.equal(report.written, 2);
    const read = () => readUserRiskState(es.client, stream, { sourceName: 'azure', users: ['alice', 'bob'], since: asOf - 86_400_000, retry: FAST_RETRY });
    es.server.faults.shardFailure({ index: /^\.ds-logs-dfp\.user_risk-default/, times: 1 });
    assert.deepEqual([...(await read()).keys()].sort(), ['alice', 'bob']);
    es.server.faults.shardFailure({ index: /^\.ds-logs-dfp\.user_risk-default/ });
    await assert.rejects(read(), /read user risk state/);
  });
});

describe("the app's scores reader shows whole answers or says why not", () => {
  it('a shard that fails once is retried by the client; one that stays down is a 503 with the reason, never fewer users', async () => {
    const index = 'logs-azure.signinlogs-partial';
    const t0 = Date.UTC(2026, 2, 1, 12);
    const docs = ['alice', 'bob', 'carol'].map((user, i) => ({ '@timestamp': new Date(t0 + i * 60_000).toISOString(), user: { id: user }, dfp: { user, zscore: 9 - i, user_risk: 12 - i, scored_at: new Date(t0).toISOString() } }));
    const mappings = { properties: { '@timestamp': { type: 'date' }, user: { properties: { id: { type: 'keyword' } } }, dfp: { properties: { user: { type: 'keyword' }, zscore: { type: 'float' }, user_risk: { type: 'float' }, scored_at: { type: 'date' } } } } } as const;
    await es.client.indices.create({ index, mappings, settings: { number_of_shards: 2 } });
    await es.client.bulk({ operations: docs.flatMap((d) => [{ create: { _index: index } }, d]), refresh: true });
    const source = parseSourceConfig({ id: 'partial', profile: 'azure-signin', writeMode: 'in_place', index, settleSeconds: 0, initialLookbackHours: 24 });
    const q = { source, profile: resolveProfile('azure-signin'), from: t0 - 3_600_000, to: t0 + 3_600_000, threshold: 8, page: 1, perPage: 10, sort: 'userRisk' as const, order: 'desc' as const };
    const reader = new EsScoresReader(es.client);
    es.server.faults.shardFailure({ index, times: 1 });
    assert.equal((await reader.users(q)).total, 3);
    es.server.faults.shardFailure({ index });
    const failure = await reader.users(q).then(
      () => assert.fail('a partial answer was shown'),
      (e: unknown) => e,
    );
    const answer = errorResponse(failure);
    assert.equal(answer.statusCode, 503);
    assert.equal(answer.internal, false);
    assert.match(answer.message, /shard/i);
  });
});

describe('requireWhole', () => {
  it('passes a whole answer through and refuses a partial or timed-out one, as a retryable error', () => {
    const whole = { timed_out: false, _shards: { total: 2, successful: 2, failed: 0 } };
    assert.equal(requireWhole(whole, 'x'), whole);
    const partial = { timed_out: false, _shards: { total: 2, successful: 1, failed: 1, failures: [{ index: 'logs', shard: 1, reason: { type: 'node_not_connected_exception', reason: 'gone' } }] } };
    assert.throws(() => requireWhole(partial, 'read logs'), (e: unknown) => e instanceof IncompleteSearchError && /read logs: .*1 of 2 shards failed.*logs\[1\] node_not_connected_exception gone/.test(e.message) && isRetryableError(e));
    assert.throws(() => requireWhole({ timed_out: true, _shards: { total: 1, successful: 1, failed: 0 } }, 'x'), /timed out/);
  });
});
