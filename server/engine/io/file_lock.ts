/**
 * An exclusive lock between processes on one machine (or a shared file system): a lock file
 * created with `wx` (fails when it exists) holding the holder's pid, host and a random token.
 *
 * Why a lock file rather than compare-and-swap on the data file: the model index is rewritten by
 * merging (re-read, apply this process's changes, write), and a rename cannot be made conditional
 * on what it replaces; `wx` creation is atomic on every local file system and on NFSv3+.
 *
 * Stale locks (a holder that crashed): the holder touches the file every few seconds while it
 * holds it, so a lock is stale when its holder's pid is gone (same host) or it has not been touched
 * for `staleMs`. A waiter breaks a stale lock only while holding `<lock>.break` (also `wx`), after
 * checking again that it is still the same stale lock, so two waiters cannot both break it and
 * one of them remove the lock the other just took.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';

export interface FileLockOptions {
  /** How long to wait for a live holder before failing. Default 60 s. */
  timeoutMs?: number;
  /** A lock not touched for this long is stale whatever its pid. Default 30 s. */
  staleMs?: number;
  /** What the lock protects, for the error message ("the model index in /x/azure-signin"). */
  what?: string;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  token: string;
}

const HEARTBEAT_MS = 5_000;
const BREAKER_STALE_MS = 10_000;

/** Runs `fn` holding the lock `file`; waits (bounded) for another holder to finish. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const release = await acquire(file, opts);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(file: string, opts: FileLockOptions): Promise<() => Promise<void>> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const staleMs = opts.staleMs ?? 30_000;
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomUUID() };
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      await fs.writeFile(file, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
      return holding(file, me);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await readLock(file);
    if (seen && isStale(seen, staleMs)) {
      await breakStale(file, seen, staleMs);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = seen?.holder ? `process ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.since}` : 'another process';
      throw new Error(
        `cannot update ${opts.what ?? file}: locked by ${who} (lock file ${file}; waited ${Math.round(timeoutMs / 1000)} s). ` +
          'Another training or rollback is writing it; if no such process is running, delete the lock file.',
      );
    }
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
  }
}

/** Keeps the lock fresh while held; the release removes it only if it is still ours. */
function holding(file: string, me: Holder): () => Promise<void> {
  const beat = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  return async () => {
    clearInterval(beat);
    const seen = await readLock(file);
    if (seen?.holder?.token === me.token) await fs.rm(file, { force: true });
  };
}

interface SeenLock {
  /** Null while its writer has created but not yet written it, or when it is not ours to read. */
  holder: Holder | null;
  mtimeMs: number;
  text: string;
}

async function readLock(file: string): Promise<SeenLock | null> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let holder: Holder | null = null;
    try {
      const parsed = JSON.parse(text) as Partial<Holder>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') holder = parsed as Holder;
    } catch {
      // half written: judged by its age alone
    }
    return { holder, mtimeMs: stat.mtimeMs, text };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  const h = seen.holder;
  return h !== null && h.host === os.hostname() && !alive(h.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

async function breakStale(file: string, seen: SeenLock, staleMs: number): Promise<void> {
  const breaker = `${file}.break`;
  try {
    await fs.writeFile(breaker, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another waiter is breaking it; a breaker left by a crash in those few milliseconds goes too.
    const stat = await fs.stat(breaker).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > BREAKER_STALE_MS) await fs.rm(breaker, { force: true });
    return;
  }
  try {
    const now = await readLock(file);
    if (now && now.text === seen.text && now.mtimeMs === seen.mtimeMs && isStale(now, staleMs)) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}
