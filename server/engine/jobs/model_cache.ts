import type { ModelStore } from '../io/model_store';
import { esStatus, isConnectionError } from '../io/es/errors';
import { ScoringModel } from '../model/scoring_model';

/** A user's model as a scoring run finds it. */
export interface FoundModel {
  model: ScoringModel;
  own: boolean;
  /** Why the user's own model could not be used (the generic model stands in). */
  ownProblem?: string;
}

/** Why no model scores a user: their own model's problem and the generic model's, where there were any. */
export interface NoModel {
  ownProblem?: string;
  genericProblem?: string;
}

/**
 * A user's own model as a run holds it: the model, none (the generic model scores them), or why it
 * could not be used.
 */
type OwnEntry = ScoringModel | null | { problem: string };

/**
 * The fingerprints a long scoring run needs, loaded once each: a run over many pages sees the same
 * users again and again, and loading a model (read, checksum, decoding) costs more than scoring a
 * page of its events. Least recently used models are dropped beyond `maxModels`.
 *
 * A stored model that cannot be used (corrupt, undecodable) is that user's problem only: it is
 * remembered with why, and the generic model scores the user. A failure to reach the store is the
 * run's: it is thrown, so the run stops before its checkpoint moves past events the user's own
 * model should have scored.
 */
export class ModelCache {
  /** User → own model, none, or why it could not be used; Map order is recency order. */
  private readonly models = new Map<string, OwnEntry>();
  private generic: ScoringModel | null | { problem: string } | undefined;

  constructor(
    private readonly store: ModelStore,
    private readonly profile: string,
    private readonly maxModels = 500,
  ) {}

  /** The user's own model, else the generic one; when neither can score them, why. */
  async forUser(user: string): Promise<FoundModel | NoModel> {
    let own = this.models.get(user);
    if (own === undefined) {
      own = await this.read(user);
      this.evictFor(1);
    } else {
      this.models.delete(user); // re-inserted below: Map order is recency order
    }
    this.models.set(user, own);
    if (own instanceof ScoringModel) return { model: own, own: true };
    const ownProblem = own === null ? undefined : own.problem;
    const generic = await this.genericModel();
    if (generic instanceof ScoringModel) return ownProblem === undefined ? { model: generic, own: false } : { model: generic, own: false, ownProblem };
    return { ...(ownProblem !== undefined ? { ownProblem } : {}), ...(generic !== null ? { genericProblem: generic.problem } : {}) };
  }

  dispose(): void {
    this.models.clear();
    this.generic = undefined;
  }

  private async genericModel(): Promise<ScoringModel | null | { problem: string }> {
    if (this.generic === undefined) this.generic = await this.read(null);
    return this.generic;
  }

  private async read(user: string | null): Promise<OwnEntry> {
    try {
      const json = await this.store.load(this.profile, user);
      return json ? ScoringModel.fromJson(json) : null;
    } catch (error) {
      if (fromCluster(error)) throw error;
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }

  private evictFor(incoming: number): void {
    while (this.models.size + incoming > this.maxModels) {
      const oldest = this.models.keys().next().value as string;
      this.models.delete(oldest);
    }
  }
}

/** Whether a store's failure came from Elasticsearch itself (an error answer, no answer), not from what it holds. */
function fromCluster(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (esStatus(e) !== undefined || isConnectionError(e)) return true;
  }
  return false;
}
