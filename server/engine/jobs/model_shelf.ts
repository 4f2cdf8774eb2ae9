import type { ModelStore } from '../io/model_store';
import type { FingerprintJson } from '../model/fingerprint';
import { ScoringModel } from '../model/scoring_model';

/**
 * Users' scoring models kept from one scoring run to the next in a long-lived process (a server's
 * scoring worker, a scheduled Elasticsearch job, a bench): reading, parsing and verifying ~100 kB
 * per user costs more than scoring a few dozen of their events, and most users' models do not
 * change between runs. Files and Elasticsearch both score through this shelf: on the thread that
 * scores a small run (score_here.ts), and in each scoring worker (score_worker.ts).
 *
 * A kept model is used only while the store still names the same version active for its user:
 * each run asks the store once (`list`: the in-memory index for files, one search for
 * Elasticsearch), so a rollback or a retrained model is read at the next run. A stored version's
 * content never changes, and every model was verified against its checksum when it was read.
 * Likewise a user the list does not name, whose read found no model, is known to have none (the
 * generic model scores them) until the list names a version. A model that could not be used is
 * never kept (it is read again next run). The generic model is not kept here: it is one read per run.
 */
export class ModelShelf {
  /** Kept models by key, in recency order (Map order); null: no model of their own. With the listed digest of their content. */
  private readonly models = new Map<string, { model: ScoringModel | null; digest: string | undefined }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = shelfBytes(),
    private readonly maxEntries = SHELF_ENTRIES,
  ) {}

  /**
   * What is kept under `key` for the listed `version` (and `digest` of its content, where the
   * store names one: a recreated store numbers from 1 again): the model, null (no model while the
   * store lists none), or undefined (nothing kept: read it). Refreshes its recency.
   */
  get(key: string, version: number | undefined, digest?: string): ScoringModel | null | undefined {
    const kept = this.models.get(key);
    if (kept === undefined || kept.digest !== digest) return undefined;
    if (kept.model === null ? version !== undefined : kept.model.json.version !== version) return undefined;
    this.models.delete(key); // re-inserted: Map order is recency order
    this.models.set(key, kept);
    return kept.model;
  }

  /**
   * What a fresh read of `key` found: kept when it is the listed `version` (null when none is
   * listed), under the listed `digest`; any other copy goes. Least recently used entries go beyond the caps.
   */
  put(key: string, model: ScoringModel | null, version: number | undefined, digest?: string): void {
    const kept = this.models.get(key);
    if (kept !== undefined) {
      this.models.delete(key);
      this.bytes -= bytesOf(kept.model);
    }
    if (model === null ? version !== undefined : model.json.version !== version) return;
    this.models.set(key, { model, digest });
    this.bytes += bytesOf(model);
    for (const [k, m] of this.models) {
      if (this.bytes <= this.maxBytes && this.models.size <= this.maxEntries) break;
      this.models.delete(k);
      this.bytes -= bytesOf(m.model);
    }
  }
}

/** Env override of the shelf's size, in MB of model weights. */
export const SHELF_MB_ENV = 'DFP_MODEL_SHELF_MB';
/**
 * Model weights kept per process by default (split between the scoring workers): 10,000 users'
 * models of the bench's width (~78 kB of weights, ~34 kB more of heap each) take ~780 MB of it.
 */
const DEFAULT_SHELF_MB = 1024;
/** And at most this many users per shelf, with or without a model. */
const SHELF_ENTRIES = 200_000;

/** The process's shelf size in bytes of weights: DFP_MODEL_SHELF_MB, else DEFAULT_SHELF_MB. */
export function shelfBytes(): number {
  const mb = Number(process.env[SHELF_MB_ENV]);
  return (Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_SHELF_MB) * 1024 * 1024;
}

/** The shelf key of a user's model from a run's model source (RunModels.source). */
export function shelfKey(source: string, user: string): string {
  return `${source}\u0000${user}`;
}

/** What a scoring run needs to get models, on this thread or in scoring workers. */
export interface RunModels {
  /**
   * Names where the models come from (store and profile): models are kept under it. The same for
   * every run over the same stored models, so that runs after the first read only what changed.
   */
  source: string;
  /** The active version of a user's model, as store.list named it at the start of the run. */
  versionOf: (user: string) => number | undefined;
  /** A digest of that version's content, where the store names one (see ActiveModels). */
  digestOf: (user: string) => string | undefined;
  /** The generic model (read once per run), or null. */
  generic: FingerprintJson | null;
  /** `generic` decoded and verified on this thread (scoring workers decode their own copy). */
  genericModel: ScoringModel | null;
  /** Why the stored generic model cannot be used, when it cannot (`generic` is null then). */
  genericProblem?: string;
  /** Reads a user's stored model (store.load). */
  load: (user: string) => Promise<FingerprintJson | null>;
}

export interface RunModelsOptions {
  /** RunModels.source; default: this store object (a store over the same models made anew is not recognised). */
  source?: string;
  /** Failures reading the generic model that fail the run instead of leaving its users unscored. */
  fatal?: (error: unknown) => boolean;
}

/**
 * The models of one run: the store's list of active versions (asked once a run) and the generic
 * model (read once a run and checked here by decoding it). A generic model that cannot be used is
 * none, with why: users with models of their own are scored all the same.
 */
export async function runModels(store: ModelStore, profile: string, opts: RunModelsOptions = {}): Promise<RunModels> {
  const source = opts.source ?? storeSource(store, profile);
  const load = (user: string): Promise<FingerprintJson | null> => store.load(profile, user);
  let generic: Pick<RunModels, 'generic' | 'genericModel' | 'genericProblem'>;
  try {
    const json = await store.load(profile, null);
    generic = { generic: json, genericModel: json ? ScoringModel.fromJson(json) : null };
  } catch (error) {
    if (opts.fatal?.(error)) throw error;
    generic = { generic: null, genericModel: null, genericProblem: messageOf(error) };
  }
  const active: Map<string, { version: number; digest?: string }> = hasDigests(store)
    ? await store.activeModels(profile)
    : new Map((await store.list(profile)).map((u) => [u.user, { version: u.active }]));
  return { source, versionOf: (user) => active.get(user)?.version, digestOf: (user) => active.get(user)?.digest, ...generic, load };
}

/**
 * A store that names each active version's content as well as its number (the Elasticsearch
 * store: the stored bytes' sha256). Version numbers alone can repeat: `.dfp-models` deleted and
 * made again numbers from 1, and a shelf keyed on numbers would score with the old model.
 */
export interface ActiveModels {
  activeModels(profile: string): Promise<Map<string, { version: number; digest?: string }>>;
}

function hasDigests(store: ModelStore): store is ModelStore & ActiveModels {
  return typeof (store as Partial<ActiveModels>).activeModels === 'function';
}

/** This thread's shelf (scoring workers have their own). */
let here: ModelShelf | undefined;

/**
 * A run's loader on this thread: `own(user)` is the user's own model (kept, or read now and kept),
 * or null when the user has none, as `ScoringModel.fromJson(await models.load(user))` gives it.
 */
export function keptModels(models: RunModels): (user: string) => Promise<ScoringModel | null> {
  const shelf = (here ??= new ModelShelf());
  return async (user) => {
    const key = shelfKey(models.source, user);
    const version = models.versionOf(user);
    const digest = models.digestOf(user);
    const kept = shelf.get(key, version, digest);
    if (kept !== undefined) return kept;
    const json = await models.load(user);
    const read = json ? ScoringModel.fromJson(json) : null;
    shelf.put(key, read, version, digest);
    return read;
  };
}

const storeIds = new WeakMap<ModelStore, number>();
let nextStoreId = 1;

/** Names a store object and profile (versions are per store). */
function storeSource(store: ModelStore, profile: string): string {
  let id = storeIds.get(store);
  if (id === undefined) storeIds.set(store, (id = nextStoreId++));
  return `store:${id}\u0000${profile}`;
}

function bytesOf(model: ScoringModel | null): number {
  return model ? model.packed.byteLength : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
