/**
 * Triage decisions in the plugin's own index (`.dfp-triage`, hidden, created on first use): one
 * document per decision, never updated, so the index is the audit trail.
 *
 * Writes: `create` with an id made here, `refresh: wait_for` so the analyst's next read sees it.
 * A create applied whose answer was lost comes back as 409 on the client's resend: the stored
 * document with this id is then this decision (ids are random), so that is success.
 * Reads: whole answers only (whole_search.ts), in pages ordered by time and id.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { TriageRecord } from '../../../../common/triage';
import { storedTriageRecord, type TriageStore } from '../triage_store';
import { esStatus } from './errors';
import { ensureOwnedIndex } from './owned_index';
import { withRetry, type RetryOptions } from './retry';
import { searchWhole } from './whole_search';

export const TRIAGE_MAPPINGS = {
  properties: {
    id: { type: 'keyword' },
    target: {
      properties: {
        source: { type: 'keyword' },
        user: { type: 'keyword' },
        event: { properties: { index: { type: 'keyword' }, id: { type: 'keyword' } } },
      },
    },
    status: { type: 'keyword' },
    assignee: { type: 'keyword' },
    note: { type: 'text' },
    since: { type: 'date' },
    // A benign event's pattern is read back whole, never searched (values are strings or numbers).
    pattern: { type: 'object', enabled: false },
    until: { type: 'date' },
    by: { type: 'keyword' },
    at: { type: 'date' },
  },
};

const PAGE = 1000;
let sequence = 0;

export class EsTriageStore implements TriageStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly opts: { index: string; retry?: RetryOptions },
  ) {}

  async add(record: TriageRecord): Promise<TriageRecord> {
    const stored = storedTriageRecord.parse(record);
    await this.setup();
    // Random, so a resend's 409 can only be this decision; prefixed by a counter so that two
    // decisions this process made in one millisecond keep their order (reads sort by at, then id).
    const id = `${String(++sequence).padStart(12, '0')}-${randomUUID()}`;
    await withRetry(
      `store a triage decision in ${this.opts.index}`,
      async () => {
        try {
          await this.client.create({ index: this.opts.index, id, document: { id, ...stored }, refresh: 'wait_for' });
        } catch (e) {
          // Our own create, applied before its answer was lost: the id is ours alone.
          if (esStatus(e) !== 409) throw e;
        }
      },
      this.opts.retry,
    );
    return stored;
  }

  async records(source: string, user?: string): Promise<TriageRecord[]> {
    if (!(await this.client.indices.exists({ index: this.opts.index }))) return [];
    const out: TriageRecord[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const res = await searchWhole<unknown>(
        this.client,
        `the triage decisions of ${source} in ${this.opts.index}`,
        {
          index: this.opts.index,
          size: PAGE,
          query: { bool: { filter: [{ term: { 'target.source': source } }, ...(user !== undefined ? [{ term: { 'target.user': user } }] : [])] } },
          sort: [{ at: 'asc' }, { id: 'asc' }],
          ...(after ? { search_after: after as never } : {}),
        },
        this.opts.retry,
      );
      for (const h of res.hits.hits) {
        const parsed = storedTriageRecord.safeParse(h._source);
        if (parsed.success) out.push(parsed.data);
      }
      if (res.hits.hits.length < PAGE) return out;
      after = res.hits.hits[res.hits.hits.length - 1].sort;
    }
  }

  private setup(): Promise<void> {
    this.ready ??= ensureOwnedIndex(this.client, { name: this.opts.index, mappings: TRIAGE_MAPPINGS }, this.opts.retry).catch((e: unknown) => {
      this.ready = undefined; // the next decision tries again
      throw e;
    });
    return this.ready;
  }
}
