import type { ModelStore } from '../io/model_store';
import { ScoringModel } from '../model/scoring_model';

/**
 * The fingerprints a long scoring run needs, loaded once each: a run over many pages sees the same
 * users again and again, and loading a model (read, checksum, decoding) costs more than scoring a
 * page of its events. Least recently used models are dropped beyond `maxModels`.
 */
export class ModelCache {
  /** User → own model, or null when the user has none (the generic model scores them). */
  private readonly models = new Map<string, ScoringModel | null>();
  private generic: ScoringModel | null | undefined;

  constructor(
    private readonly store: ModelStore,
    private readonly profile: string,
    private readonly maxModels = 500,
  ) {}

  /** The user's own model, else the generic one; null when neither exists. */
  async forUser(user: string): Promise<{ model: ScoringModel; own: boolean } | null> {
    let own = this.models.get(user);
    if (own === undefined) {
      const json = await this.store.load(this.profile, user);
      own = json ? ScoringModel.fromJson(json) : null;
      this.evictFor(1);
    } else {
      this.models.delete(user); // re-inserted below: Map order is recency order
    }
    this.models.set(user, own);
    if (own) return { model: own, own: true };
    const generic = await this.genericModel();
    return generic ? { model: generic, own: false } : null;
  }

  dispose(): void {
    this.models.clear();
    this.generic = undefined;
  }

  private async genericModel(): Promise<ScoringModel | null> {
    if (this.generic === undefined) {
      const json = await this.store.load(this.profile, null);
      this.generic = json ? ScoringModel.fromJson(json) : null;
    }
    return this.generic;
  }

  private evictFor(incoming: number): void {
    while (this.models.size + incoming > this.maxModels) {
      const oldest = this.models.keys().next().value as string;
      this.models.delete(oldest);
    }
  }
}
