import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FingerprintJson } from '../model/fingerprint';
import { checksumOfBody, signatureOf } from '../model/checksum';
import { withFileLock } from './file_lock';
import {
  afterSave,
  DEFAULT_KEEP_VERSIONS,
  describeModel,
  MODELS_KEY_ENV,
  noSuchVersionError,
  signingKey,
  verifySignature,
  versionInfoOf,
  type ModelStore,
  type ModelVersionInfo,
  type StoredUserModels,
  type VersionSet,
} from './model_store';

interface UserEntry extends VersionSet {
  /** The user's folder under `users/`. */
  dir: string;
}

/** A profile's index in memory. A Map: user keys are untrusted strings (`__proto__`, `constructor`). */
interface ProfileIndex {
  users: Map<string, UserEntry>;
  /** Absent in indexes written before rollback existed: read from the generic folder then. */
  generic?: VersionSet;
}

/** `index.json` as written: `{ users: { <user>: { dir, versions, active } }, generic }`. */
interface IndexFile {
  users?: Record<string, { dir: string; versions: number[]; active?: number }>;
  generic?: VersionSet;
}

/** A model this process stored whose version the index does not name yet (until flush). */
interface PendingSave {
  user: string | null;
  version: number;
  dir: string;
}

export interface FsModelStoreOptions {
  /** How long a write of the index waits for another process's (default 60 s) before failing. */
  lockTimeoutMs?: number;
  /** A lock its holder has not refreshed for this long is taken over (default 30 s). */
  lockStaleMs?: number;
  /**
   * Signs every saved model (HMAC-SHA256) and refuses to load one that is unsigned or wrongly
   * signed. Default: the `DFP_MODELS_KEY` environment variable; unset or '' = checksums only.
   */
  key?: string | Buffer;
}

/**
 * Fingerprints on a local directory: `<dir>/<profile>/generic/v0001.json` and
 * `<dir>/<profile>/users/<name>-<hash>/v0001.json`, with `<dir>/<profile>/index.json` holding each
 * model's versions and active version, and mapping user keys to folders (user keys may hold any
 * character; folder names must not). Keeps the newest `keepVersions` of each, plus the active one.
 * Call flush() after saving: the index is written then (rollback writes it at once).
 *
 * Several processes may share a directory (a long-running `npm run serve` and `dfp train` runs,
 * or two trainings at once):
 * - A version number is claimed by creating its file exclusively (`wx`): two writers never write
 *   the same `v000N.json`. A save whose number is taken is renumbered to the next free one (the
 *   model's `version` and checksum are updated in place).
 * - Every write of the index (flush, rollback) holds `<profile>/index.lock` (see file_lock.ts),
 *   re-reads the index from disk and applies only this process's own changes to it, so nobody's
 *   versions or rollbacks are lost. Versions are pruned then, under the lock.
 * - Reads use the index as last read, re-read whenever the file on disk changed (one stat a call).
 *
 * With a key (`DFP_MODELS_KEY`), each file also holds `signature`, an HMAC of the model's checksum
 * (see checksum.ts), verified on load: a model edited by someone without the key, even with its
 * checksum recomputed, is refused. The signature is not part of the model the store hands out.
 */
export class FsModelStore implements ModelStore {
  /** Each profile's index as last read from disk with this process's pending saves applied, and what the file was then. */
  private readonly cache = new Map<string, { stamp: string; index: ProfileIndex }>();
  /** Reads in flight, shared by concurrent callers that saw the same file. */
  private readonly loads = new Map<string, { stamp: string; promise: Promise<ProfileIndex> }>();
  /** Saves not in the index on disk yet, per profile, in order. */
  private readonly pending = new Map<string, PendingSave[]>();
  private readonly key: Buffer | null;

  constructor(
    readonly dir: string,
    private readonly keepVersions = DEFAULT_KEEP_VERSIONS,
    private readonly opts: FsModelStoreOptions = {},
  ) {
    this.key = signingKey(opts.key ?? process.env[MODELS_KEY_ENV]);
  }

  async latestVersion(profile: string, user: string | null): Promise<number> {
    const set = versionSet(await this.current(profile), user);
    return set && set.versions.length > 0 ? set.versions[set.versions.length - 1] : 0;
  }

  /** Writes the model's file now; its version joins the index at the next flush. */
  async save(model: FingerprintJson): Promise<void> {
    const index = await this.current(model.profile);
    const dir = model.user === null ? 'generic' : (index.users.get(model.user)?.dir ?? safeName(model.user));
    const folder = path.join(this.dir, model.profile, model.user === null ? dir : path.join('users', dir));
    await fs.mkdir(folder, { recursive: true });
    const save: PendingSave = { user: model.user, version: await claimVersionFile(folder, model, this.key), dir };
    let pending = this.pending.get(model.profile);
    if (!pending) this.pending.set(model.profile, (pending = []));
    pending.push(save);
    // The cached index may have been replaced while the file was written: apply to the one in use.
    applySave(this.cache.get(model.profile)!.index, save, this.keepVersions);
  }

  async load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null> {
    const index = await this.current(profile);
    const v = version ?? versionSet(index, user)?.active ?? 0;
    if (v === 0) return null;
    const file = path.join(this.folderOf(profile, user, index), versionFile(v));
    let stored: FingerprintJson & { signature?: unknown };
    try {
      stored = JSON.parse(await fs.readFile(file, 'utf8')) as FingerprintJson & { signature?: unknown };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read model ${file}: ${(err as Error).message}`);
    }
    const { signature, ...model } = stored;
    if (this.key) verifySignature(model, signature, this.key, `model of ${describeModel(profile, user)}, version ${v} (${file})`);
    return model;
  }

  /** Written at once (an admin's action), over the index as it is on disk now. */
  async rollback(profile: string, user: string | null, version: number): Promise<void> {
    await this.commit(profile, (index) => {
      const set = versionSet(index, user);
      if (!set || !set.versions.includes(version)) throw noSuchVersionError(profile, user, version, set?.versions ?? []);
      set.active = version;
    });
  }

  async versions(profile: string, user: string | null): Promise<ModelVersionInfo[]> {
    const index = await this.current(profile);
    const set = versionSet(index, user);
    if (!set) return [];
    const folder = this.folderOf(profile, user, index);
    const out: ModelVersionInfo[] = [];
    for (const v of set.versions) {
      const file = path.join(folder, versionFile(v));
      const text = await fs.readFile(file, 'utf8').catch((err: Error) => {
        throw new Error(`cannot read model ${file}: ${err.message}`);
      });
      out.push(versionInfoOf(JSON.parse(text) as FingerprintJson, Buffer.byteLength(text), v === set.active));
    }
    return out;
  }

  async list(profile: string): Promise<StoredUserModels[]> {
    const index = await this.current(profile);
    return [...index.users].map(([user, e]) => ({ user, versions: [...e.versions], active: e.active }));
  }

  async flush(): Promise<void> {
    for (const [profile, saves] of this.pending) if (saves.length > 0) await this.commit(profile);
  }

  private folderOf(profile: string, user: string | null, index: ProfileIndex): string {
    if (user === null) return path.join(this.dir, profile, 'generic');
    return path.join(this.dir, profile, 'users', index.users.get(user)?.dir ?? safeName(user));
  }

  private indexFile(profile: string): string {
    return path.join(this.dir, profile, 'index.json');
  }

  /** The profile's index: the cached one while the file is unchanged, else read again. */
  private async current(profile: string): Promise<ProfileIndex> {
    const stamp = await stampOf(this.indexFile(profile));
    const cached = this.cache.get(profile);
    if (cached?.stamp === stamp) return cached.index;
    const load = this.loads.get(profile);
    if (load?.stamp === stamp) return load.promise;
    const promise = this.readIndex(profile).then(({ index, stamp: read }) => {
      // In the same turn as the read ends: this process's unflushed saves over what is on disk.
      for (const s of this.pending.get(profile) ?? []) applySave(index, s, this.keepVersions);
      this.cache.set(profile, { stamp: read, index });
      return index;
    });
    this.loads.set(profile, { stamp, promise });
    promise
      .finally(() => {
        if (this.loads.get(profile)?.promise === promise) this.loads.delete(profile);
      })
      .catch(() => {}); // the caller gets the error
    return promise;
  }

  /**
   * Writes the index under the profile's lock: re-read from disk, this process's pending saves
   * applied (and `change`, a rollback), written, then the versions it no longer names deleted.
   */
  private async commit(profile: string, change?: (index: ProfileIndex) => void): Promise<void> {
    await fs.mkdir(path.join(this.dir, profile), { recursive: true });
    await withFileLock(
      path.join(this.dir, profile, 'index.lock'),
      async () => {
        const { index } = await this.readIndex(profile);
        const saves = [...(this.pending.get(profile) ?? [])];
        const pruned: PendingSave[] = [];
        for (const s of saves) pruned.push(...applySave(index, s, this.keepVersions).map((version) => ({ ...s, version })));
        change?.(index); // may throw: nothing is written then
        await this.writeIndex(profile, index);
        // Saves made while this ran stay pending for the next flush.
        this.pending.set(profile, (this.pending.get(profile) ?? []).slice(saves.length));
        for (const p of pruned) {
          if (versionSet(index, p.user)?.versions.includes(p.version)) continue; // kept after all (a rollback elsewhere made it active)
          const folder = p.user === null ? path.join(this.dir, profile, 'generic') : path.join(this.dir, profile, 'users', p.dir);
          await fs.rm(path.join(folder, versionFile(p.version)), { force: true });
        }
        for (const s of this.pending.get(profile)!) applySave(index, s, this.keepVersions);
        this.cache.set(profile, { stamp: await stampOf(this.indexFile(profile)), index });
      },
      { timeoutMs: this.opts.lockTimeoutMs, staleMs: this.opts.lockStaleMs, what: `the model index in ${path.join(this.dir, profile)}` },
    );
  }

  private async readIndex(profile: string): Promise<{ index: ProfileIndex; stamp: string }> {
    const file = this.indexFile(profile);
    let parsed: IndexFile = {};
    let stamp = ABSENT;
    try {
      // Stamp and content from one open file: the file may be replaced meanwhile.
      const handle = await fs.open(file, 'r');
      try {
        stamp = stampFrom(await handle.stat({ bigint: true }));
        parsed = JSON.parse(await handle.readFile('utf8')) as IndexFile;
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read model index in ${path.join(this.dir, profile)}: ${(err as Error).message}`);
      }
    }
    const index: ProfileIndex = { users: new Map() };
    for (const [user, e] of Object.entries(parsed.users ?? {})) {
      const versions = Array.isArray(e?.versions) ? e.versions.filter(Number.isInteger) : [];
      // Indexes written before rollback existed have no active version: the newest.
      index.users.set(user, { dir: e?.dir, versions, active: e?.active ?? versions[versions.length - 1] ?? 0 });
    }
    index.generic = parsed.generic ? { versions: [...parsed.generic.versions], active: parsed.generic.active } : await this.genericOnDisk(profile);
    return { index, stamp };
  }

  /** Indexes written before rollback existed name no generic versions: the generic folder's files. */
  private async genericOnDisk(profile: string): Promise<VersionSet | undefined> {
    const files = await fs.readdir(path.join(this.dir, profile, 'generic')).catch(() => [] as string[]);
    const versions = files.map(parseVersion).filter((v): v is number => v !== null).sort((a, b) => a - b);
    return versions.length > 0 ? { versions, active: versions[versions.length - 1] } : undefined;
  }

  private async writeIndex(profile: string, index: ProfileIndex): Promise<void> {
    const file = this.indexFile(profile);
    const body: IndexFile = { users: Object.fromEntries(index.users), ...(index.generic ? { generic: index.generic } : {}) };
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(body));
    await fs.rename(tmp, file); // a reader never sees half an index
  }
}

function versionSet(index: ProfileIndex, user: string | null): VersionSet | undefined {
  return user === null ? index.generic : index.users.get(user);
}

/** Adds a save to the index as afterSave says; returns the versions it prunes. */
function applySave(index: ProfileIndex, s: PendingSave, keep: number): number[] {
  const before = versionSet(index, s.user) ?? { versions: [], active: 0 };
  const { pruned, ...after } = afterSave(before, s.version, keep);
  if (s.user === null) index.generic = after;
  else index.users.set(s.user, { dir: index.users.get(s.user)?.dir ?? s.dir, ...after });
  return pruned;
}

/**
 * Writes the model as `v<version>.json`, created exclusively so that no other writer's file is
 * replaced; when that name is taken (another process saved the same version since this one read
 * the index), the next free number: the model's version and checksum are updated to match.
 * A new version is read only once the index names it, after this write completed, so writing in
 * place (no temporary file) never shows half a model.
 */
async function claimVersionFile(folder: string, model: FingerprintJson, key: Buffer | null): Promise<number> {
  for (;;) {
    const text = JSON.stringify(key ? { ...model, signature: signatureOf(model.checksum, key) } : model);
    try {
      await fs.writeFile(path.join(folder, versionFile(model.version)), text, { flag: 'wx' });
      return model.version;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    renumber(model, model.version + 1);
  }
}

function renumber(model: FingerprintJson, version: number): void {
  model.version = version;
  const { checksum: _, ...body } = model;
  model.checksum = checksumOfBody(body);
}

const ABSENT = 'absent';

/** What identifies one write of a file: rename gives a new inode; size and times catch inode reuse. */
async function stampOf(file: string): Promise<string> {
  try {
    return stampFrom(await fs.stat(file, { bigint: true }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ABSENT;
    throw err;
  }
}

function stampFrom(s: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

function safeName(user: string): string {
  const readable = user.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 60);
  return `${readable}-${createHash('sha1').update(user).digest('hex').slice(0, 8)}`;
}

function versionFile(v: number): string {
  return `v${String(v).padStart(4, '0')}.json`;
}

function parseVersion(file: string): number | null {
  const m = /^v(\d+)\.json$/.exec(file);
  return m ? Number(m[1]) : null;
}
