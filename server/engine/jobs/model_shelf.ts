import type { ModelStore } from '../io/model_store';
import { ScoringModel } from '../model/scoring_model';

/**
 * Users' scoring models kept from one scoring run to the next in a long-lived process (a server,
 * a bench, a scoring worker): reading, parsing and verifying ~100 kB per user costs more than
 * scoring a few dozen of their events, and most users' models do not change between runs.
 *
 * A kept model is used only while the store still names the same version active for its user:
 * each run asks the store once (`list`: the in-memory index for files, one search for
 * Elasticsearch), so a rollback or a retrained model is read at the next run. A stored version's
 * content never changes, and every model was verified against its checksum when it was read.
 * Likewise a user the list does not name, whose read found no model, is known to have none (the
 * generic model scores them) until the list names a version. The generic model is not kept here:
 * it is one read per run.
 */
export class ModelShelf {
  /** Kept models by key, in recency order (Map order); null: no model of their own. */
  private readonly models = new Map<string, ScoringModel | null>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = SHELF_BYTES,
    private readonly maxEntries = SHELF_ENTRIES,
  ) {}

  /**
   * What is kept under `key` for the listed `version`: the model, null (no model while the store
   * lists none), or undefined (nothing kept: read it). Refreshes its recency.
   */
  get(key: string, version: number | undefined): ScoringModel | null | undefined {
    const kept = this.models.get(key);
    if (kept === undefined || (kept === null ? version !== undefined : kept.json.version !== version)) return undefined;
    this.models.delete(key); // re-inserted: Map order is recency order
    this.models.set(key, kept);
    return kept;
  }

  /**
   * What a fresh read of `key` found: kept when it is the listed `version` (null when none is
   * listed); any other copy goes. Least recently used entries go beyond the caps.
   */
  put(key: string, model: ScoringModel | null, version: number | undefined): void {
    const kept = this.models.get(key);
    if (kept !== undefined) {
      this.models.delete(key);
      this.bytes -= bytesOf(kept);
    }
    if (model === null ? version !== undefined : model.json.version !== version) return;
    this.models.set(key, model);
    this.bytes += bytesOf(model);
    for (const [k, m] of this.models) {
      if (this.bytes <= this.maxBytes && this.models.size <= this.maxEntries) break;
      this.models.delete(k);
      this.bytes -= bytesOf(m);
    }
  }
}

/** Per store: its shelf. */
const shelves = new WeakMap<ModelStore, ModelShelf>();

/** Models kept per store (and per scoring worker), at most this many bytes of weights (least recently used go first). */
export const SHELF_BYTES = 128 * 1024 * 1024;
/** And at most this many users, with or without a model. */
const SHELF_ENTRIES = 200_000;

/** The shelf key of a user's model. */
export function shelfKey(profile: string, user: string): string {
  return `${profile}\u0000${user}`;
}

/**
 * The loader of one scoring run: `own(user)` is the user's own model (kept or read now), or null
 * when the user has none, as `ScoringModel.fromJson(await store.load(profile, user))` gives it.
 */
export async function ownModels(store: ModelStore, profile: string): Promise<(user: string) => Promise<ScoringModel | null>> {
  const active = new Map((await store.list(profile)).map((u) => [u.user, u.active]));
  let shelf = shelves.get(store);
  if (!shelf) shelves.set(store, (shelf = new ModelShelf()));
  const kept = shelf;
  return async (user) => {
    const key = shelfKey(profile, user);
    const version = active.get(user);
    const model = kept.get(key, version);
    if (model !== undefined) return model;
    const json = await store.load(profile, user);
    const read = json ? ScoringModel.fromJson(json) : null;
    kept.put(key, read, version);
    return read;
  };
}

function bytesOf(model: ScoringModel | null): number {
  return model ? model.packed.byteLength : 0;
}
