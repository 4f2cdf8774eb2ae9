import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FingerprintJson } from '../model/fingerprint';
import {
  afterSave,
  DEFAULT_KEEP_VERSIONS,
  noSuchVersionError,
  versionInfoOf,
  type ModelStore,
  type ModelVersionInfo,
  type StoredUserModels,
  type VersionSet,
} from './model_store';

interface ProfileIndex {
  users: Record<string, { dir: string } & VersionSet>;
  /** Absent in indexes written before rollback existed: read from the generic folder then. */
  generic?: VersionSet;
}

/**
 * Fingerprints on a local directory: `<dir>/<profile>/generic/v0001.json` and
 * `<dir>/<profile>/users/<name>-<hash>/v0001.json`, with `<dir>/<profile>/index.json` holding each
 * model's versions and active version, and mapping user keys to folders (user keys may hold any
 * character; folder names must not). Keeps the newest `keepVersions` of each, plus the active one.
 * Call flush() after saving: the index is written then (rollback writes it at once).
 */
export class FsModelStore implements ModelStore {
  private readonly indexes = new Map<string, Promise<ProfileIndex>>();
  /** Profiles whose index changed since the last flush: rewriting it per model would be quadratic. */
  private readonly dirty = new Set<string>();

  constructor(readonly dir: string, private readonly keepVersions = DEFAULT_KEEP_VERSIONS) {}

  async latestVersion(profile: string, user: string | null): Promise<number> {
    const set = await this.versionSet(profile, user);
    return set && set.versions.length > 0 ? set.versions[set.versions.length - 1] : 0;
  }

  async save(model: FingerprintJson): Promise<void> {
    const index = await this.index(model.profile);
    const folder = this.folderOf(model.profile, model.user, index);
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, versionFile(model.version));
    await fs.writeFile(`${file}.tmp`, JSON.stringify(model));
    await fs.rename(`${file}.tmp`, file); // a reader never sees half a model
    const before = (await this.versionSet(model.profile, model.user)) ?? { versions: [], active: 0 };
    const { pruned, ...after } = afterSave(before, model.version, this.keepVersions);
    if (model.user === null) index.generic = after;
    else index.users[model.user] = { dir: path.basename(folder), ...after };
    for (const old of pruned) await fs.rm(path.join(folder, versionFile(old)), { force: true });
    this.dirty.add(model.profile);
  }

  async load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null> {
    const v = version ?? (await this.versionSet(profile, user))?.active ?? 0;
    if (v === 0) return null;
    const file = path.join(this.folderOf(profile, user, await this.index(profile)), versionFile(v));
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as FingerprintJson;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read model ${file}: ${(err as Error).message}`);
    }
  }

  async rollback(profile: string, user: string | null, version: number): Promise<void> {
    const set = await this.versionSet(profile, user);
    if (!set || !set.versions.includes(version)) throw noSuchVersionError(profile, user, version, set?.versions ?? []);
    set.active = version;
    // An admin's action: durable at once rather than at the next flush.
    await this.writeIndex(profile, await this.index(profile));
    this.dirty.delete(profile);
  }

  async versions(profile: string, user: string | null): Promise<ModelVersionInfo[]> {
    const set = await this.versionSet(profile, user);
    if (!set) return [];
    const folder = this.folderOf(profile, user, await this.index(profile));
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
    const index = await this.index(profile);
    return Object.entries(index.users).map(([user, e]) => ({ user, versions: e.versions, active: e.active }));
  }

  async flush(): Promise<void> {
    for (const profile of this.dirty) await this.writeIndex(profile, await this.index(profile));
    this.dirty.clear();
  }

  private async versionSet(profile: string, user: string | null): Promise<VersionSet | undefined> {
    const index = await this.index(profile);
    return user === null ? index.generic : index.users[user];
  }

  private folderOf(profile: string, user: string | null, index: ProfileIndex): string {
    if (user === null) return path.join(this.dir, profile, 'generic');
    return path.join(this.dir, profile, 'users', index.users[user]?.dir ?? safeName(user));
  }

  /** The profile's index, read once; concurrent first callers share the one read (and object). */
  private index(profile: string): Promise<ProfileIndex> {
    let index = this.indexes.get(profile);
    if (!index) {
      index = this.readIndex(profile);
      this.indexes.set(profile, index);
      index.catch(() => this.indexes.delete(profile)); // a failed read is retried next time
    }
    return index;
  }

  private async readIndex(profile: string): Promise<ProfileIndex> {
    let index: ProfileIndex;
    try {
      index = JSON.parse(await fs.readFile(path.join(this.dir, profile, 'index.json'), 'utf8')) as ProfileIndex;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read model index in ${path.join(this.dir, profile)}: ${(err as Error).message}`);
      }
      index = { users: {} };
    }
    await this.upgrade(profile, index);
    return index;
  }

  /** Indexes written before rollback existed: no active versions, generic versions only on disk. */
  private async upgrade(profile: string, index: ProfileIndex): Promise<void> {
    for (const entry of Object.values(index.users)) entry.active ??= entry.versions[entry.versions.length - 1] ?? 0;
    if (index.generic) return;
    const files = await fs.readdir(path.join(this.dir, profile, 'generic')).catch(() => [] as string[]);
    const versions = files.map(parseVersion).filter((v): v is number => v !== null).sort((a, b) => a - b);
    if (versions.length > 0) index.generic = { versions, active: versions[versions.length - 1] };
  }

  private async writeIndex(profile: string, index: ProfileIndex): Promise<void> {
    const file = path.join(this.dir, profile, 'index.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(`${file}.tmp`, JSON.stringify(index));
    await fs.rename(`${file}.tmp`, file);
  }
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
