/**
 * Where analysts' triage decisions are kept (common/triage.ts): an append-only trail, one record per
 * decision. `FsTriageStore` keeps it in files (standalone mode); `EsTriageStore`
 * (io/es/triage_store.ts) in the plugin's own Elasticsearch index.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TRIAGE_STATUSES, type TriageRecord } from '../../../common/triage';

export interface TriageStore {
  /** Appends one decision; returns it as stored. */
  add(record: TriageRecord): Promise<TriageRecord>;
  /** Every decision about a source's users (or one user), oldest first. */
  records(source: string, user?: string): Promise<TriageRecord[]>;
}

/** A stored record, checked when read back (a file edited by hand, a document from elsewhere). */
export const storedTriageRecord = z.object({
  target: z.object({ source: z.string(), user: z.string(), event: z.object({ index: z.string(), id: z.string() }).optional() }),
  status: z.enum(TRIAGE_STATUSES),
  assignee: z.string().optional(),
  note: z.string().optional(),
  since: z.string().optional(),
  pattern: z.array(z.object({ feature: z.string(), value: z.union([z.string(), z.number(), z.null()]) })).optional(),
  until: z.string().optional(),
  by: z.string(),
  at: z.string(),
});

/**
 * One NDJSON file (standalone: `<data>/<source>/triage.ndjson`), appended a line per decision (an append of one short
 * line is atomic on local file systems, so two processes' decisions never interleave). Lines that
 * do not parse as a record are skipped and counted in `unreadable` (they are never rewritten).
 */
export class FsTriageStore implements TriageStore {
  /** Lines of the file the last read could not take as records. */
  unreadable = 0;

  constructor(readonly file: string) {}

  async add(record: TriageRecord): Promise<TriageRecord> {
    const stored = storedTriageRecord.parse(record);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.appendFile(this.file, `${JSON.stringify(stored)}\n`, { encoding: 'utf8', flag: 'a' });
    return stored;
  }

  async records(source: string, user?: string): Promise<TriageRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: TriageRecord[] = [];
    this.unreadable = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = storedTriageRecord.safeParse(safeJson(line));
      if (!parsed.success) {
        this.unreadable += 1;
        continue;
      }
      const r = parsed.data;
      if (r.target.source === source && (user === undefined || r.target.user === user)) out.push(r);
    }
    // Appended in time order already; sorted in case clocks of two writers disagreed.
    return out.map((r, i) => ({ r, i })).sort((a, b) => (a.r.at < b.r.at ? -1 : a.r.at > b.r.at ? 1 : a.i - b.i)).map(({ r }) => r);
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
