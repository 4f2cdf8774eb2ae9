import type { ModelStore } from '../io/model_store';
import { Fingerprint } from '../model/fingerprint';

/**
 * The fingerprints a long scoring run needs, loaded once each: a run over many pages sees the same
 * users again and again, and loading a model (read, checksum, tensors) costs more than scoring a
 * page of its events. Least recently used models are disposed beyond `maxModels`.
 */
export class ModelCache {
  /** User → own model, or null when the user has none (the generic model scores them). */
  private readonly models = new Map<string, Fingerprint | null>();
  private generic: Fingerprint | null | undefined;

  constructor(
    private readonly store: ModelStore,
    private readonly profile: string,
    private readonly maxModels = 500,
  ) {}

  /** The user's own model, else the generic one; null when neither exists. Valid until the next call
   *  (a later call may evict and dispose it): score with it right away. */
  async forUser(user: string): Promise<{ model: Fingerprint; own: boolean } | null> {
    let own = this.models.get(user);
    if (own === undefined) {
      const json = await this.store.load(this.profile, user);
      own = json ? Fingerprint.fromJson(json) : null;
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
    for (const m of this.models.values()) m?.dispose();
    this.models.clear();
    this.generic?.dispose();
    this.generic = undefined;
  }

  private async genericModel(): Promise<Fingerprint | null> {
    if (this.generic === undefined) {
      const json = await this.store.load(this.profile, null);
      this.generic = json ? Fingerprint.fromJson(json) : null;
    }
    return this.generic;
  }

  private evictFor(incoming: number): void {
    while (this.models.size + incoming > this.maxModels) {
      const [oldest, model] = this.models.entries().next().value as [string, Fingerprint | null];
      model?.dispose();
      this.models.delete(oldest);
    }
  }
}
