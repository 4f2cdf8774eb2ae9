/**
 * The standalone server's scored files, read again when one changes on disk: a `dfp score` (or a
 * retrain and rescore) beside a running `npm run serve` shows at the next request, no restart.
 * The check is one stat per source and request; a changed file is read whole, once, however
 * many requests arrive meanwhile. (Models need nothing of this: the model store re-reads its
 * index whenever the file changed.)
 */
import { promises as fs } from 'node:fs';
import { loadScoredFiles, MemoryScoresReader, type ScoredFileDoc } from '../data/memory_scores_reader';
import type { ScoresReader } from '../data/scores_reader';

interface Loaded {
  reader: MemoryScoresReader;
  /** Newest event time per source (epoch ms; absent: none readable). */
  newest: Map<string, number>;
  /** Lines that were not documents. */
  unreadable: number;
}

export class ScoredFiles {
  /** The read of the files as they were at `stamp` (each file's inode, size and times). */
  private loaded: { stamp: string; promise: Promise<Loaded> } | null = null;

  /** `files`: source id → its scored NDJSON file. */
  constructor(private readonly files: ReadonlyMap<string, string>) {}

  /** The files as they are now: the last read while none changed, else read again (concurrent callers share one read). */
  async current(): Promise<Loaded> {
    const stamp = await this.stamp();
    if (this.loaded?.stamp !== stamp) {
      const promise = this.read();
      this.loaded = { stamp, promise };
      // A failed read is tried again at the next call.
      promise.catch(() => {
        if (this.loaded?.promise === promise) this.loaded = null;
      });
    }
    return this.loaded.promise;
  }

  /** A scores reader over the files as they are at each call. */
  reader(): ScoresReader {
    const now = async (): Promise<ScoresReader> => (await this.current()).reader;
    return {
      overview: async (q) => (await now()).overview(q),
      users: async (q) => (await now()).users(q),
      userEvents: async (q) => (await now()).userEvents(q),
      userLabels: async (q, users) => (await now()).userLabels(q, users),
      usersMatching: async (q, term) => (await now()).usersMatching(q, term),
      recentFeatureValues: async (q) => (await now()).recentFeatureValues(q),
      scoredEvent: async (q) => (await now()).scoredEvent(q),
      swimlane: async (q) => (await now()).swimlane(q),
    };
  }

  private async stamp(): Promise<string> {
    const parts: string[] = [];
    for (const file of this.files.values()) {
      const s = await fs.stat(file, { bigint: true }).catch(() => null);
      parts.push(s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : 'absent');
    }
    return parts.join('|');
  }

  private async read(): Promise<Loaded> {
    const docs = new Map<string, ScoredFileDoc[]>();
    const newest = new Map<string, number>();
    let unreadable = 0;
    for (const [source, file] of this.files) {
      // A file gone (deleted, or between a writer's unlink and rename) reads as no events until it is back.
      const present = await fs.stat(file).then(
        () => true,
        () => false,
      );
      const loaded = present ? await loadScoredFiles(file) : { docs: [], unreadable: [] };
      unreadable += loaded.unreadable.length;
      docs.set(source, loaded.docs);
      let top = Number.NEGATIVE_INFINITY;
      for (const d of loaded.docs) {
        const t = Date.parse(String(d.doc['@timestamp'] ?? ''));
        if (t > top) top = t; // NaN (no readable time) never is
      }
      if (Number.isFinite(top)) newest.set(source, top);
    }
    return { reader: new MemoryScoresReader(docs), newest, unreadable };
  }
}
