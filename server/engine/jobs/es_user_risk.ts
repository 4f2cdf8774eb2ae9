/**
 * User risk in an Elasticsearch scoring run (es_score.ts): each scored event gets `dfp.user_risk`
 * and `dfp.user_flagged` as its page is written (pages come in time order), with each user's
 * recent evidence restored from their latest document in the user-risk stream the first time the
 * run meets them; at the end of the run, one document per user scored in it goes to the stream
 * (io/es/user_risk_stream.ts), holding the state the next run restores.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Rollout } from '../../../common/fields';
import type { RiskInputFields } from '../score/risk_evidence';
import { USER_RISK_MODEL, type UserRiskModel } from '../score/risk_model';
import { EventRisk, type RiskRef } from '../score/user_risk';
import { putUserRiskIndexTemplate, readUserRiskState, userRiskDocument, userRiskStreamName, writeUserRiskDocs, type UserRiskWriteReport } from '../io/es/user_risk_stream';
import type { RetryOptions } from '../io/es/retry';
import { readNoveltyState, writeNoveltyState } from '../io/es/novelty_state';
import type { SeqNo } from '../io/es/state_index';

export interface EsUserRiskOptions {
  threshold: number;
  tsThreshold: number;
  tsBinMinutes?: number;
  /** The model's constants (default USER_RISK_MODEL with tsBinMinutes). */
  model?: UserRiskModel;
  /** The source (its id names its documents; its namespace, the stream). */
  sourceName: string;
  namespace: string;
  runId: string;
  /** The run's range [from, to): risk documents are as of `to`; state is restored from documents within the horizon before `from`. */
  from: number;
  to: number;
  /** A rescore of a range: restored state keeps only evidence before `from` (the range's own is being scored again). */
  rescore: boolean;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /**
   * The state index where the source's shared-novelty adoptions pass from run to run
   * (io/es/novelty_state.ts), for a model with a shared-novelty rule. Absent: each run counts its own.
   */
  stateIndex?: string;
}

/** What user risk reads of a scored event, and where it puts the event's risk (a `dfp` object is one). */
export type RiskInput = RiskInputFields & { user: string | null; user_risk?: number; user_flagged?: boolean; rollout?: Rollout; is_anomaly?: boolean; threshold?: number };

export class EsUserRisk {
  readonly stream: string;
  private readonly risk: EventRisk;
  private readonly model: UserRiskModel;
  /** Users whose state was looked up already (found or not). */
  private readonly restored = new Set<string>();
  /** Scored events per user in this run. */
  private readonly events = new Map<string, number>();
  /** What went wrong that the run goes on without (the shared-novelty state unread or unwritten). */
  readonly warnings: string[] = [];
  /** The shared-novelty document as read (undefined: not read yet; null: none, or unreadable). */
  private noveltyAt: SeqNo | null | undefined;
  /** The document could not be read: the run does not write over what it never saw. */
  private noveltyUnread = false;

  constructor(
    private readonly client: Client,
    private readonly opts: EsUserRiskOptions,
  ) {
    this.stream = userRiskStreamName(opts.namespace);
    this.model = opts.model ?? { ...USER_RISK_MODEL, tsBinMinutes: opts.tsBinMinutes ?? USER_RISK_MODEL.tsBinMinutes };
    this.risk = new EventRisk(opts.threshold, opts.tsThreshold, this.model);
  }

  /** Brings back the recent evidence of the users the run has not met yet (one search per 1,000 users). */
  async restore(users: Iterable<string>): Promise<void> {
    const fresh = [...new Set(users)].filter((u) => !this.restored.has(u));
    if (fresh.length === 0) return;
    const state = await readUserRiskState(this.client, this.stream, {
      sourceName: this.opts.sourceName,
      users: fresh,
      since: this.opts.from - this.model.horizonHours * 3_600_000,
      ...(this.opts.rescore ? { before: this.opts.from } : {}),
      retry: this.opts.retry,
    });
    for (const u of fresh) this.restored.add(u);
    for (const [user, evidence] of state) this.risk.tracker.restore(user, evidence);
    await this.restoreNovelty();
  }

  /** Once a run: the adoptions earlier runs handed on (a rescore starts from none: its range's own come again). */
  private async restoreNovelty(): Promise<void> {
    const { stateIndex } = this.opts;
    if (this.noveltyAt !== undefined || !this.risk.novelty || stateIndex === undefined) return;
    this.noveltyAt = null;
    try {
      const { adoptions, position } = await readNoveltyState(this.client, stateIndex, this.opts.sourceName, this.opts.retry);
      this.noveltyAt = position;
      if (!this.opts.rescore) this.risk.novelty.restore(adoptions.filter((a) => a.time < this.opts.from));
    } catch (e) {
      this.noveltyUnread = true;
      this.warnings.push(`shared novelty of earlier runs not read from ${stateIndex}: ${(e as Error).message}`);
    }
  }

  /**
   * Sets user_risk and user_flagged on one scored event (call in time order, after `restore` of its
   * user), and on a rollout's event its z-score without the target (`zShared`: EventRisk.apply).
   */
  apply(dfp: RiskInput, time: number, ref: RiskRef, zShared = Number.NaN): void {
    if (this.risk.apply(dfp, time, ref, zShared) === undefined) return;
    this.events.set(dfp.user!, (this.events.get(dfp.user!) ?? 0) + 1);
  }

  /** Users flagged by some event of this run. */
  flaggedUsers(): number {
    return this.risk.flaggedUsers();
  }

  /** Writes one document per user scored in this run, as of the end of its range. */
  async finish(): Promise<UserRiskWriteReport> {
    const docs = [...this.risk.peaks].map(([user, peak]) =>
      userRiskDocument({
        user,
        asOf: this.opts.to,
        risk: this.risk.tracker.riskAt(user, this.opts.to),
        contributions: this.risk.tracker.contributions(user, this.opts.to),
        peak,
        events: this.events.get(user) ?? 0,
        threshold: this.opts.threshold,
        runId: this.opts.runId,
        sourceName: this.opts.sourceName,
        namespace: this.opts.namespace,
        model: this.model,
      }),
    );
    await this.handOnNovelty();
    if (docs.length === 0) return { written: 0, failed: 0, examples: [] };
    await putUserRiskIndexTemplate(this.client, this.opts.retry);
    const report = await writeUserRiskDocs(this.client, this.stream, docs, { runId: this.opts.runId, retry: this.opts.retry, signal: this.opts.signal });
    try {
      await this.client.indices.refresh({ index: this.stream, ignore_unavailable: true, allow_no_indices: true });
    } catch {
      // Searchable at the next periodic refresh anyway.
    }
    return report;
  }

  /** The adoptions of the window before the run's end, for the next run (not by a rescore: the live runs own them). */
  private async handOnNovelty(): Promise<void> {
    const { stateIndex } = this.opts;
    const novelty = this.risk.novelty;
    if (!novelty || stateIndex === undefined || this.noveltyAt === undefined || this.noveltyUnread || this.opts.rescore) return;
    try {
      const state = { source: this.opts.sourceName, asOf: this.opts.to, adoptions: novelty.adoptions(this.opts.to, novelty.rule.users + 1), runId: this.opts.runId };
      const written = await writeNoveltyState(this.client, stateIndex, state, this.noveltyAt, this.opts.retry);
      if (!written) this.warnings.push(`shared novelty not handed on: ${stateIndex} novelty:${this.opts.sourceName} was written by another process during this run`);
    } catch (e) {
      this.warnings.push(`shared novelty not handed on to ${stateIndex}: ${(e as Error).message}`);
    }
  }
}
