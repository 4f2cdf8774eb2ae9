/**
 * Each user's event counts per time bin, counted by Elasticsearch (terms → date_histogram), for
 * the time-series check of events scored a page at a time: a page holds minutes of a user's
 * activity, the check needs days of it.
 */
import type { Client } from '@elastic/elasticsearch';
import type { RetryOptions } from './retry';
import { searchWhole } from './whole_search';

export interface UserCountsQuery {
  index: string;
  timeField: string;
  /** The profile's user key paths, in order: a user's key is the first one present. */
  userFields: string[];
  users: string[];
  /** Half-open [start, end) in epoch ms; bins are aligned to multiples of binMinutes since the epoch. */
  start: number;
  end: number;
  binMinutes: number;
}

export interface UserCounts {
  /** Start of bin 0, epoch ms. */
  firstBin: number;
  binMs: number;
  /** Per user, the count of every bin from firstBin up to the bin holding end − 1 (zeros included). */
  counts: Map<string, Float64Array>;
}

interface TermsAgg {
  by_user: { buckets: { key: string | number; key_as_string?: string; over_time: { buckets: { key: number; doc_count: number }[] } }[] };
}

export async function userBinCounts(client: Client, q: UserCountsQuery, retry?: RetryOptions): Promise<UserCounts> {
  const binMs = q.binMinutes * 60_000;
  const firstBin = Math.floor(q.start / binMs) * binMs;
  const nBins = Math.max(0, Math.floor((q.end - 1) / binMs) - firstBin / binMs + 1);
  const counts = new Map<string, Float64Array>();
  for (const u of q.users) counts.set(u, new Float64Array(nBins));
  if (q.users.length === 0 || nBins === 0) return { firstBin, binMs, counts };

  // A user's key comes from the first user field present, so each field counts the events whose
  // earlier fields are all missing: the same rule as the profile, and no event counts twice.
  for (let f = 0; f < q.userFields.length; f++) {
    const field = q.userFields[f];
    // Counts from a partial answer would read as a quiet hour: whole answers only.
    const res = await searchWhole<unknown, TermsAgg>(
      client,
      `count events per user and ${q.binMinutes} min in ${q.index}`,
      {
        index: q.index,
        size: 0,
        track_total_hits: false,
        query: {
          bool: {
            filter: [{ range: { [q.timeField]: { gte: q.start, lt: q.end, format: 'epoch_millis' } } }, { terms: { [field]: q.users } }],
            must_not: q.userFields.slice(0, f).map((earlier) => ({ exists: { field: earlier } })),
          },
        },
        aggs: {
          by_user: {
            terms: { field, size: q.users.length },
            aggs: { over_time: { date_histogram: { field: q.timeField, fixed_interval: `${q.binMinutes}m`, min_doc_count: 1 } } },
          },
        },
      },
      retry,
    );
    for (const bucket of res.aggregations?.by_user.buckets ?? []) {
      const series = counts.get(String(bucket.key_as_string ?? bucket.key));
      if (!series) continue;
      for (const b of bucket.over_time.buckets) {
        const i = Math.round((b.key - firstBin) / binMs);
        if (i >= 0 && i < nBins) series[i] += b.doc_count;
      }
    }
  }
  return { firstBin, binMs, counts };
}
