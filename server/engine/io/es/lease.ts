/**
 * A named lease in the state index, so that two processes (two Kibana instances, or Kibana and the
 * CLI) never run the same job at once, and a crashed holder's lease runs out.
 *
 * Every write is conditional on the lease document's seq_no/primary_term, so of two processes that
 * read the same state and write, exactly one succeeds; the other learns who won.
 *
 * Clocks: `expiresAt` is the holder's wall clock plus the TTL, and another process compares it with
 * its own wall clock. This assumes the hosts' clocks agree to well within the TTL (NTP keeps them
 * within milliseconds): a skew of s lets a taker see the lease expire s early (or late). Kept
 * alive, the holder renews every TTL/3 and, when no renewal got through, gives up (aborts
 * `signal`) TTL/6 before its own expiry: a skew below TTL/6 never lets a taker in while the old
 * holder still works.
 */
import type { Client } from '@elastic/elasticsearch';
import { CONFLICT, DEFAULT_STATE_INDEX, StateDocWriter, readStateDoc } from './state_index';
import type { RetryOptions } from './retry';

export interface LeaseOptions {
  /** State index. Default `.dfp-state`. */
  index?: string;
  /** What is leased, e.g. `score:azure-signin`. */
  name: string;
  /** Who holds it: unique per process and job attempt (host, pid and a random id). A holder that
   *  finds an unexpired lease under its own id takes it over, as a restart with a stable id would. */
  holder: string;
  /** Time to live without a renewal. Default 60 s. */
  ttlMs?: number;
  /** Wall clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Told about background renewals that failed but did not (yet) lose the lease. */
  onError?: (e: Error) => void;
}

export interface LeaseInfo {
  name: string;
  holder: string;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
}

export const DEFAULT_LEASE_TTL_MS = 60_000;

/** Thrown by `renew` (and given as `signal.reason`) when the lease is no longer ours. */
export class LeaseLostError extends Error {
  constructor(
    message: string,
    /** Who holds it now, when someone does. */
    readonly heldBy?: LeaseInfo,
  ) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** Whether the lease has run out at `nowMs` (taken over as free). */
export function leaseExpired(info: LeaseInfo, nowMs: number): boolean {
  return Date.parse(info.expiresAt) <= nowMs;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Retries bounded by the TTL, so that a renewal's retrying never outlasts the lease itself. */
const leaseRetry = (ttlMs: number): RetryOptions => ({ retries: 4, baseDelayMs: Math.min(250, ttlMs / 20), maxDelayMs: ttlMs / 10 });

// A process that loses the create/take-over race re-reads; if the lease vanished in between
// (released), it tries again, a few times at most.
const ACQUIRE_ATTEMPTS = 5;

interface Settings {
  client: Client;
  index: string;
  name: string;
  holder: string;
  ttlMs: number;
  now: () => number;
  retry: RetryOptions;
  onError?: (e: Error) => void;
}

export class Lease {
  /** Aborted (with a LeaseLostError as reason) when the lease is lost: the job must stop and must
   *  not write its checkpoint. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private current: LeaseInfo;
  /** Our writes of the lease document: its position, and renewals whose outcome is unknown. */
  private readonly doc: StateDocWriter<LeaseInfo>;
  private lost?: LeaseLostError;
  private released = false;
  private renewing?: Promise<void>;
  /** The next background renewal, and the moment keepAlive gives the lease up if none succeeded. */
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private keepingAlive = false;
  private lastRenewError?: Error;

  private constructor(
    private readonly s: Settings,
    info: LeaseInfo,
    doc: StateDocWriter<LeaseInfo>,
  ) {
    this.signal = this.controller.signal;
    this.current = info;
    this.doc = doc;
  }

  get info(): LeaseInfo {
    return this.current;
  }

  /** Takes the lease if it is free, expired, or already under our holder id; otherwise says who has it. */
  static async acquire(client: Client, opts: LeaseOptions): Promise<Lease | { heldBy: LeaseInfo }> {
    const ttlMs = opts.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!(ttlMs > 0)) throw new Error(`lease ttlMs must be positive, got ${ttlMs}`);
    const s: Settings = {
      client,
      index: opts.index ?? DEFAULT_STATE_INDEX,
      name: opts.name,
      holder: opts.holder,
      ttlMs,
      now: opts.now ?? Date.now,
      retry: leaseRetry(ttlMs),
      onError: opts.onError,
    };
    let lastSeen: LeaseInfo | undefined;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      const existing = await readStateDoc<LeaseInfo>(client, s.index, 'lease', s.name, s.retry);
      const t = s.now();
      if (existing && existing.value.holder !== s.holder && !leaseExpired(existing.value, t)) return { heldBy: existing.value };
      const info: LeaseInfo = { name: s.name, holder: s.holder, acquiredAt: iso(t), renewedAt: iso(t), expiresAt: iso(t + ttlMs) };
      // Absent: create (fails if another process created it first). Expired or ours: replace the
      // exact version we read (fails if another process replaced it first).
      const doc = new StateDocWriter<LeaseInfo>(client, s.index, 'lease', s.name, existing);
      let written;
      try {
        written = await doc.write(info, { retry: s.retry });
      } catch (e) {
        // The write may have landed: take it back rather than block the job for a TTL (best effort).
        await doc.delete(s.retry).catch(() => undefined);
        throw e;
      }
      if (written !== CONFLICT) return new Lease(s, info, doc);
      // Lost the race: report the winner, unless the lease was released again in between.
      const winner = await Lease.read(client, s.name, s.index);
      if (winner && !leaseExpired(winner, s.now())) return { heldBy: winner };
      lastSeen = winner ?? lastSeen;
    }
    throw new Error(
      `could not acquire lease "${s.name}" in ${s.index}: it changed hands ${ACQUIRE_ATTEMPTS} times while acquiring` +
        (lastSeen ? ` (last seen held by ${lastSeen.holder})` : ''),
    );
  }

  /** The lease as stored, expired or not; null when nobody has taken it (or it was released). */
  static async read(client: Client, name: string, index = DEFAULT_STATE_INDEX): Promise<LeaseInfo | null> {
    return (await readStateDoc<LeaseInfo>(client, index, 'lease', name))?.value ?? null;
  }

  /** Pushes the expiry to now + TTL. Throws LeaseLostError (and aborts `signal`) when another holder took it. */
  renew(): Promise<void> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.released) return Promise.reject(new Error(`lease "${this.s.name}" was released`));
    // One renewal at a time: a second one with the same seq_no would conflict with the first.
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    const t = this.s.now();
    const next: LeaseInfo = { ...this.current, renewedAt: iso(t), expiresAt: iso(t + this.s.ttlMs) };
    const written = await this.doc.write(next, { retry: this.s.retry });
    if (written === CONFLICT) {
      const holder = await Lease.read(this.s.client, this.s.name, this.s.index).catch(() => null);
      const err = new LeaseLostError(
        holder
          ? `lease "${this.s.name}" was taken over by ${holder.holder} at ${holder.acquiredAt}`
          : `lease "${this.s.name}" was released or reset by another process`,
        holder ?? undefined,
      );
      this.lose(err);
      throw err;
    }
    this.current = next;
    this.lastRenewError = undefined;
    if (this.keepingAlive && !this.lost && !this.released) this.armDeadline();
  }

  /**
   * Renews every `intervalMs` (default TTL/3) in the background until `release()` or loss. A
   * renewal that fails for another reason (the cluster unreachable) is reported to `onError` and
   * tried again at the next tick; if none succeeds until TTL/6 before our expiry, the lease is
   * given up as lost (`signal` aborted) before anyone else can take it over.
   */
  keepAlive(intervalMs = this.s.ttlMs / 3): void {
    if (this.keepingAlive || this.lost || this.released) return;
    this.keepingAlive = true;
    this.armDeadline();
    const tick = async (): Promise<void> => {
      try {
        await this.renew();
      } catch (e) {
        if (this.lost || this.released) return;
        this.lastRenewError = e as Error;
        this.s.onError?.(e as Error);
      }
      if (!this.lost && !this.released) schedule();
    };
    const schedule = (): void => {
      this.timer = setTimeout(() => void tick(), intervalMs);
      // The job keeps the process alive, not its lease.
      this.timer.unref();
    };
    schedule();
  }

  /** Gives the lease up if it is still ours (best effort: a failure only lets it expire). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopTimers();
    await this.renewing?.catch(() => undefined);
    try {
      // Conditional on our last write: if someone else holds it now (a conflict), it is theirs to keep.
      await this.doc.delete(this.s.retry);
    } catch (e) {
      this.s.onError?.(e as Error);
    }
  }

  /** While kept alive: the lease counts as lost TTL/6 before its expiry unless renewed by then. */
  private armDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    const expiresAt = this.current.expiresAt;
    const ms = Date.parse(expiresAt) - this.s.ttlMs / 6 - this.s.now();
    this.deadline = setTimeout(() => {
      const why = this.lastRenewError ? `: ${this.lastRenewError.message}` : '';
      this.lose(new LeaseLostError(`lease "${this.s.name}" could not be renewed before it expires at ${expiresAt}${why}`));
    }, Math.max(0, ms));
    this.deadline.unref();
  }

  private lose(err: LeaseLostError): void {
    if (this.lost) return;
    this.lost = err;
    this.stopTimers();
    this.controller.abort(err);
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.deadline) clearTimeout(this.deadline);
    this.timer = undefined;
    this.deadline = undefined;
  }
}
