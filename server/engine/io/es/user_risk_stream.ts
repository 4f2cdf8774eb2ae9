/**
 * The user-risk data stream `logs-dfp.user_risk-<namespace>`: one document per user per scoring
 * run, laid out like Elastic Security's entity risk scoring (`risk-score.risk-score-<namespace>`):
 *
 *   @timestamp                      when the risk is as of: the end of the run's range
 *   user.name                       the user key (dfp.user)
 *   user.risk.id_field / id_value   "dfp.user" / the key
 *   user.risk.calculated_score      the user's risk then (dfp.user_risk's scale)
 *   user.risk.calculated_score_norm 0–100: 100·(1 − 0.3^(risk / threshold)), the threshold at 70
 *   user.risk.calculated_level      Unknown < 20 ≤ Low < 40 ≤ Moderate < 70 ≤ High < 90 ≤ Critical
 *   user.risk.inputs[]              the top contributing events: id, index, timestamp, risk_score
 *                                   (the event's evidence), contribution_score (decayed to @timestamp)
 *   dfp.*                           ours: threshold, flagged, peak (the run's highest dfp.user_risk),
 *                                   run_id, source.name, events, the model's constants, and `state`
 *
 * `dfp.state` (not indexed) holds every contributing event still inside the horizon: the next run
 * restores each user's risk from their latest document (readUserRiskState). Its own index template
 * (priority 200, above the stack's `logs`, with an optional `@custom`), like the scores stream's.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { BulkWriter } from './bulk';
import { esErrorType } from './errors';
import { withRetry, type RetryOptions } from './retry';
import { searchWhole } from './whole_search';
import { validateNamespace } from './sink';
import type { UserRiskModel } from '../../score/risk_model';
import { riskLevel, riskNorm, roundRisk, type RiskEvidence, type RiskLevel } from '../../score/user_risk';

export const USER_RISK_TEMPLATE = 'logs-dfp.user_risk';
export const USER_RISK_CUSTOM_TEMPLATE = `${USER_RISK_TEMPLATE}@custom`;
/** Contributing events named in `user.risk.inputs` (Elastic keeps its inputs short too). */
export const MAX_INPUTS = 10;
/** Users whose state one search restores. */
const RESTORE_BATCH = 1000;

const KEYWORD = { type: 'keyword', ignore_above: 1024 } as const;
const FLOAT = { type: 'float' } as const;
const DATE = { type: 'date' } as const;
const BOOLEAN = { type: 'boolean' } as const;
const LONG = { type: 'long' } as const;

/** The user-risk data stream of a namespace. */
export function userRiskStreamName(namespace = 'default'): string {
  validateNamespace(namespace);
  return `${USER_RISK_TEMPLATE}-${namespace}`;
}

/** Mappings of the stream: Elastic's risk fields under `user.risk`, ours under `dfp`; nothing else maps. */
export function userRiskStreamMappings(): Record<string, unknown> {
  return {
    dynamic: false,
    properties: {
      '@timestamp': { ...DATE },
      data_stream: { properties: { type: { type: 'constant_keyword' }, dataset: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } } },
      user: {
        properties: {
          name: { ...KEYWORD },
          risk: {
            properties: {
              id_field: { ...KEYWORD },
              id_value: { ...KEYWORD },
              calculated_score: { ...FLOAT },
              calculated_score_norm: { ...FLOAT },
              calculated_level: { ...KEYWORD },
              inputs: {
                properties: {
                  id: { ...KEYWORD },
                  index: { ...KEYWORD },
                  category: { ...KEYWORD },
                  timestamp: { ...DATE },
                  risk_score: { ...FLOAT },
                  contribution_score: { ...FLOAT },
                },
              },
              notes: { ...KEYWORD },
            },
          },
        },
      },
      dfp: {
        properties: {
          run_id: { ...KEYWORD },
          source: { properties: { name: { ...KEYWORD } } },
          threshold: { ...FLOAT },
          flagged: { ...BOOLEAN },
          events: { ...LONG },
          peak: { properties: { score: { ...FLOAT }, at: { ...DATE }, flagged: { ...BOOLEAN } } },
          risk_model: { properties: { floor: { ...FLOAT }, half_life_hours: { ...FLOAT }, horizon_hours: { ...FLOAT }, ts_weight: { ...FLOAT } } },
          // Read back whole, never searched: not indexed.
          state: { type: 'object', enabled: false },
        },
      },
    },
  };
}

/** Puts the stream's index template (priority 200: above the stack's `logs-*-*`, like Fleet's). */
export async function putUserRiskIndexTemplate(client: Client, retry?: RetryOptions): Promise<void> {
  await withRetry(
    `put index template ${USER_RISK_TEMPLATE}`,
    () =>
      client.indices.putIndexTemplate(
        {
          name: USER_RISK_TEMPLATE,
          index_patterns: [`${USER_RISK_TEMPLATE}-*`],
          data_stream: {},
          priority: 200,
          composed_of: [USER_RISK_CUSTOM_TEMPLATE],
          ignore_missing_component_templates: [USER_RISK_CUSTOM_TEMPLATE],
          template: { mappings: userRiskStreamMappings() as never },
          _meta: { managed_by: 'digital-fingerprinting', description: 'Digital fingerprinting: one document per user per scoring run (entity risk layout)' },
        },
        { signal: retry?.signal },
      ),
    retry,
  );
}

/** One contributing event as `dfp.state` keeps it (short names: a user may have hundreds). */
interface StateEntry {
  t: number;
  e: number;
  id?: string;
  ix?: string;
  bin?: number;
}

export interface UserRiskDocInput {
  user: string;
  /** When the risk is as of (epoch ms): the end of the run's range. */
  asOf: number;
  /** The user's risk then. */
  risk: number;
  /** The contributing events inside the horizon at `asOf`, with their contributions then. */
  contributions: (RiskEvidence & { contribution: number })[];
  /** The run's highest dfp.user_risk of the user's events, and when. */
  peak: { risk: number; time: number; flagged: boolean };
  events: number;
  threshold: number;
  runId: string;
  sourceName: string;
  namespace: string;
  model: UserRiskModel;
}

export interface UserRiskDoc {
  '@timestamp': string;
  user: {
    name: string;
    risk: {
      id_field: 'dfp.user';
      id_value: string;
      calculated_score: number;
      calculated_score_norm: number;
      calculated_level: RiskLevel;
      inputs: { id?: string; index?: string; category: string; timestamp: string; risk_score: number; contribution_score: number }[];
      notes: string[];
    };
  };
  data_stream: { type: 'logs'; dataset: 'dfp.user_risk'; namespace: string };
  dfp: {
    run_id: string;
    source: { name: string };
    threshold: number;
    flagged: boolean;
    events: number;
    peak: { score: number; at: string; flagged: boolean };
    risk_model: { floor: number; half_life_hours: number; horizon_hours: number; ts_weight: number };
    state: StateEntry[];
  };
}

/** A user's risk document for one run. */
export function userRiskDocument(x: UserRiskDocInput): UserRiskDoc {
  const score = roundRisk(x.risk);
  const norm = Math.round(riskNorm(score, x.threshold) * 100) / 100;
  const top = [...x.contributions].sort((a, b) => b.contribution - a.contribution || b.time - a.time).slice(0, MAX_INPUTS);
  return {
    '@timestamp': new Date(x.asOf).toISOString(),
    user: {
      name: x.user,
      risk: {
        id_field: 'dfp.user',
        id_value: x.user,
        calculated_score: score,
        calculated_score_norm: norm,
        calculated_level: riskLevel(norm),
        inputs: top.map((c) => ({
          ...(c.id !== undefined ? { id: c.id } : {}),
          ...(c.index !== undefined ? { index: c.index } : {}),
          category: 'dfp_event',
          timestamp: new Date(c.time).toISOString(),
          risk_score: roundRisk(c.evidence),
          contribution_score: roundRisk(c.contribution),
        })),
        notes: [],
      },
    },
    data_stream: { type: 'logs', dataset: 'dfp.user_risk', namespace: x.namespace },
    dfp: {
      run_id: x.runId,
      source: { name: x.sourceName },
      threshold: x.threshold,
      flagged: x.peak.flagged,
      events: x.events,
      peak: { score: x.peak.risk, at: new Date(x.peak.time).toISOString(), flagged: x.peak.flagged },
      risk_model: { floor: x.model.floor, half_life_hours: x.model.halfLifeHours, horizon_hours: x.model.horizonHours, ts_weight: x.model.tsWeight },
      state: x.contributions.map((c) => ({
        t: c.time,
        e: c.evidence,
        ...(c.id !== undefined ? { id: c.id } : {}),
        ...(c.index !== undefined ? { ix: c.index } : {}),
        ...(c.tsBin !== undefined ? { bin: c.tsBin } : {}),
      })),
    },
  };
}

/** A document's id: one per source, run and user, so a re-sent create is recognised (409) instead of doubled. */
export function userRiskDocId(sourceName: string, runId: string, user: string): string {
  return createHash('sha1').update(`${sourceName}|${runId}|${user}`).digest('base64url');
}

export interface UserRiskWriteReport {
  written: number;
  failed: number;
  /** The first failures, "<user>: <reason>". */
  examples: string[];
}

/** Writes the run's documents (creates, through the stream). A 409 is a re-sent document already there: written. */
export async function writeUserRiskDocs(client: Client, stream: string, docs: UserRiskDoc[], opts: { runId: string; retry?: RetryOptions; signal?: AbortSignal; refresh?: boolean | 'wait_for' }): Promise<UserRiskWriteReport> {
  const report: UserRiskWriteReport = { written: 0, failed: 0, examples: [] };
  if (docs.length === 0) return report;
  const writer = new BulkWriter<string>(client, { retry: opts.retry, signal: opts.signal, refresh: opts.refresh });
  for (const doc of docs) {
    await writer.add({ op: 'create', _index: stream, _id: userRiskDocId(doc.dfp.source.name, opts.runId, doc.user.name), body: doc as unknown as Record<string, unknown>, ref: doc.user.name });
  }
  const result = await writer.flush();
  report.written += result.succeeded.length;
  for (const f of result.failed) {
    if (f.status === 409) {
      report.written += 1;
      continue;
    }
    report.failed += 1;
    if (report.examples.length < 20) report.examples.push(`${f.ref}: ${f.reason}`);
  }
  return report;
}

/**
 * Each user's contributing events from their latest risk document of this source written at or
 * after `since` (epoch ms; older documents hold nothing inside the horizon), keeping entries
 * `before` a time when given (a rescore of a range must not count the range's events twice).
 * Users without such a document are absent. A stream that does not exist yet answers nothing.
 */
export async function readUserRiskState(
  client: Client,
  stream: string,
  q: { sourceName: string; users: readonly string[]; since: number; before?: number; retry?: RetryOptions },
): Promise<Map<string, RiskEvidence[]>> {
  const out = new Map<string, RiskEvidence[]>();
  for (let i = 0; i < q.users.length; i += RESTORE_BATCH) {
    const users = q.users.slice(i, i + RESTORE_BATCH);
    let res;
    try {
      // Whole answers only: a user missing from a partial one would lose their carried risk.
      res = await searchWhole(
        client,
        `read user risk state from ${stream}`,
        {
          index: stream,
          ignore_unavailable: true,
          allow_no_indices: true,
          size: 0,
          query: {
            bool: {
              filter: [
                { term: { 'dfp.source.name': q.sourceName } },
                { terms: { 'user.risk.id_value': [...users] } },
                { range: { '@timestamp': { gte: q.since, format: 'epoch_millis' } } },
              ],
            },
          },
          aggs: { users: { terms: { field: 'user.risk.id_value', size: users.length }, aggs: { latest: { top_hits: { size: 1, sort: [{ '@timestamp': { order: 'desc' } }], _source: ['dfp.state'] } } } } },
        },
        q.retry,
      );
    } catch (e) {
      if (esErrorType((e as Error).cause) === 'index_not_found_exception') return out;
      throw e;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const buckets = ((res.aggregations as any)?.users?.buckets ?? []) as { key: unknown; latest: { hits: { hits: { _source?: { dfp?: { state?: unknown } } }[] } } }[];
    for (const b of buckets) {
      const state = b.latest.hits.hits[0]?._source?.dfp?.state;
      const entries = Array.isArray(state) ? state.flatMap((s) => stateEntry(s, q.before)) : [];
      if (entries.length > 0) out.set(String(b.key), entries);
    }
  }
  return out;
}

/** A stored state entry as evidence, or nothing when it is not one (a document written by hand, a newer layout). */
function stateEntry(raw: unknown, before: number | undefined): RiskEvidence[] {
  if (raw === null || typeof raw !== 'object') return [];
  const s = raw as Record<string, unknown>;
  if (typeof s.t !== 'number' || !Number.isFinite(s.t) || typeof s.e !== 'number' || !(s.e > 0)) return [];
  if (before !== undefined && s.t >= before) return [];
  return [
    {
      time: s.t,
      evidence: s.e,
      ...(typeof s.id === 'string' ? { id: s.id } : {}),
      ...(typeof s.ix === 'string' ? { index: s.ix } : {}),
      ...(typeof s.bin === 'number' && Number.isFinite(s.bin) ? { tsBin: s.bin } : {}),
    },
  ];
}
