/**
 * Retries with exponential backoff and full jitter, for the failures Elasticsearch asks clients to
 * retry (429 and friends) that the 8.x transport does not retry itself (it retries 502–504 and
 * connection errors a few times, never 429).
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import { esError, isRetryableError } from './errors';

export interface RetryOptions {
  /** Attempts after the first. Default 6 (about 25 s of waiting in all at the defaults). */
  retries?: number;
  /** First backoff ceiling in ms; doubles each attempt. Default 250. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 10,000. */
  maxDelayMs?: number;
  /** Stops the waiting (and the retrying) early. */
  signal?: AbortSignal;
  /** Called before each wait: for logs and counters. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Which failures are retried. Default `isRetryableError` (429/5xx and dropped connections). */
  when?: (e: unknown) => boolean;
}

export const DEFAULT_RETRY: Required<Omit<RetryOptions, 'signal' | 'onRetry' | 'when'>> = { retries: 6, baseDelayMs: 250, maxDelayMs: 10_000 };

/** The wait before retry `attempt` (1-based): uniform in [0, min(max, base·2^(attempt−1))]. */
export function backoffMs(attempt: number, opts: RetryOptions = {}): number {
  const base = opts.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = opts.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  return Math.random() * Math.min(max, base * 2 ** (attempt - 1));
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await sleepMs(ms, undefined, { signal });
}

/**
 * Runs `fn`, retrying retryable Elasticsearch failures (see `isRetryableError`). `fn` must be safe
 * to run twice: a connection error does not say whether the first attempt was applied.
 * Other failures, and the last retryable one, are thrown as `<what>: <Elasticsearch's reason>`.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const retries = opts.retries ?? DEFAULT_RETRY.retries;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= retries || !(opts.when ?? isRetryableError)(e) || opts.signal?.aborted) {
        throw esError(attempt > 0 ? `${what} (after ${attempt + 1} attempts)` : what, e);
      }
      const delayMs = backoffMs(attempt + 1, opts);
      opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: esError(what, e).message });
      await sleep(delayMs, opts.signal);
    }
  }
}
