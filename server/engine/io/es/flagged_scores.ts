/**
 * For training a source scored in `scores` mode: the source's documents carry no `dfp` fields, their
 * scores copies do. So that retraining leaves out what a run flagged (model/left_out.ts), the copies
 * of the window's flagged events (dfp.zscore at or above the threshold, dfp.user_flagged, or a
 * triage status) are read first: few, whatever the window's size. Keyed like the sink's copies
 * (scoresDocId of the source event's index and id).
 */
import type { Client } from '@elastic/elasticsearch';
import type { RawEvent } from '../../types';
import { LEFT_OUT_FIELDS } from '../../model/left_out';
import { scoresDocId } from './sink';
import { searchWhole } from './whole_search';
import type { RetryOptions } from './retry';

const PAGE = 5000;

/** The flagged copies' `dfp` fields (those the training decision reads), by the source event's scores id. */
export async function flaggedScores(
  client: Client,
  opts: { stream: string; source: string; from: number; to: number; threshold: number; retry?: RetryOptions },
): Promise<Map<string, RawEvent>> {
  const found = new Map<string, RawEvent>();
  if (!(await client.indices.exists({ index: opts.stream }))) return found;
  let after: unknown[] | undefined;
  for (;;) {
    const res = await searchWhole<{ dfp?: { source?: { index?: string; id?: string } } & RawEvent }>(
      client,
      `the flagged scores of ${opts.source} in ${opts.stream}`,
      {
        index: opts.stream,
        size: PAGE,
        _source: ['dfp.source.index', 'dfp.source.id', ...LEFT_OUT_FIELDS],
        query: {
          bool: {
            filter: [
              { range: { '@timestamp': { gte: new Date(opts.from).toISOString(), lt: new Date(opts.to).toISOString() } } },
              { term: { 'dfp.source.name': opts.source } },
            ],
            should: [{ range: { 'dfp.zscore': { gte: opts.threshold } } }, { term: { 'dfp.user_flagged': true } }, { exists: { field: 'dfp.triage.status' } }],
            minimum_should_match: 1,
          },
        },
        sort: [{ '@timestamp': 'asc' }, { 'dfp.source.index': 'asc' }, { 'dfp.source.id': 'asc' }],
        ...(after ? { search_after: after as never } : {}),
      },
      opts.retry,
    );
    const hits = res.hits.hits;
    for (const h of hits) {
      const where = h._source?.dfp?.source;
      if (typeof where?.index === 'string' && typeof where.id === 'string') found.set(scoresDocId(where.index, where.id), { dfp: h._source!.dfp });
    }
    if (hits.length < PAGE) return found;
    after = hits[hits.length - 1].sort;
  }
}
