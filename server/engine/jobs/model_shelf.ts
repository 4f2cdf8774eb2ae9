import type { ModelStore } from '../io/model_store';
import { ScoringModel } from '../model/scoring_model';

/**
 * Users' scoring models kept from one scoring run to the next in a long-lived process (a server,
 * a bench): reading, parsing and verifying ~100 kB per user costs more than scoring a few dozen
 * of their events, and most users' models do not change between runs.
 *
 * A kept model is used only while the store still names the same version active for its user:
 * each run asks the store once (`list`: the in-memory index for files, one search for
 * Elasticsearch), so a rollback or a retrained model is read at the next run. A stored version's
 * content never changes, and every model was verified against its checksum when it was read.
 * The generic model is not kept: it is one read per run.
 */
/** Per store: kept models by profile and user, in recency order, and the bytes of their weights. */
const shelves = new WeakMap<ModelStore, { models: Map<string, ScoringModel>; bytes: number }>();

/** Models kept per store, at most this many bytes of weights (least recently used go first). */
export const SHELF_BYTES = 128 * 1024 * 1024;

/**
 * The loader of one scoring run: `own(user)` is the user's own model (kept or read now), or null
 * when the user has none, as `ScoringModel.fromJson(await store.load(profile, user))` gives it.
 */
export async function ownModels(store: ModelStore, profile: string): Promise<(user: string) => Promise<ScoringModel | null>> {
  const active = new Map((await store.list(profile)).map((u) => [u.user, u.active]));
  let shelf = shelves.get(store);
  if (!shelf) shelves.set(store, (shelf = { models: new Map(), bytes: 0 }));
  const used = shelf;
  const keep = shelf.models;
  return async (user) => {
    const key = `${profile}\u0000${user}`;
    const version = active.get(user);
    const kept = keep.get(key);
    if (kept && version !== undefined && kept.json.version === version) {
      keep.delete(key); // re-inserted: Map order is recency order
      keep.set(key, kept);
      return kept;
    }
    const json = await store.load(profile, user);
    const model = json ? ScoringModel.fromJson(json) : null;
    if (kept) {
      keep.delete(key);
      used.bytes -= bytesOf(kept);
    }
    if (model && model.json.version === version) {
      keep.set(key, model);
      used.bytes += bytesOf(model);
      for (const [k, m] of keep) {
        if (used.bytes <= SHELF_BYTES) break;
        keep.delete(k);
        used.bytes -= bytesOf(m);
      }
    }
    return model;
  };
}

function bytesOf(model: ScoringModel): number {
  return model.packed.byteLength;
}
