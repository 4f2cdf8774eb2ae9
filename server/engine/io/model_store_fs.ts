import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FingerprintJson } from '../model/fingerprint';
import type { ModelStore } from './model_store';

interface ProfileIndex {
  users: Record<string, { dir: string; versions: number[] }>;
}

/**
 * Fingerprints on a local directory: `<dir>/<profile>/generic/v0001.json` and
 * `<dir>/<profile>/users/<name>-<hash>/v0001.json`, with `<dir>/<profile>/index.json` mapping user
 * keys to folders (user keys may hold any character; folder names must not). Keeps the newest
 * `keepVersions` of each. Call flush() after saving: the index is written then.
 */
export class FsModelStore implements ModelStore {
  private readonly indexes = new Map<string, ProfileIndex>();
  /** Profiles whose index changed since the last flush: rewriting it per model would be quadratic. */
  private readonly dirty = new Set<string>();

  constructor(readonly dir: string, private readonly keepVersions = 5) {}

  async latestVersion(profile: string, user: string | null): Promise<number> {
    const versions = await this.versionsOf(profile, user);
    return versions.length > 0 ? versions[versions.length - 1] : 0;
  }

  async save(model: FingerprintJson): Promise<void> {
    const index = await this.index(model.profile);
    const folder = this.folderOf(model.profile, model.user, index);
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, versionFile(model.version));
    await fs.writeFile(`${file}.tmp`, JSON.stringify(model));
    await fs.rename(`${file}.tmp`, file); // a reader never sees half a model
    if (model.user !== null) {
      const entry = (index.users[model.user] ??= { dir: path.basename(folder), versions: [] });
      entry.versions = [...new Set([...entry.versions, model.version])].sort((a, b) => a - b);
      for (const old of entry.versions.splice(0, Math.max(0, entry.versions.length - this.keepVersions))) {
        await fs.rm(path.join(folder, versionFile(old)), { force: true });
      }
      this.dirty.add(model.profile);
    } else {
      await this.pruneGeneric(model.profile);
    }
  }

  async load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null> {
    const v = version ?? (await this.latestVersion(profile, user));
    if (v === 0) return null;
    const folder = this.folderOf(profile, user, await this.index(profile));
    const file = path.join(folder, versionFile(v));
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as FingerprintJson;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read model ${file}: ${(err as Error).message}`);
    }
  }

  async list(profile: string): Promise<{ user: string; versions: number[] }[]> {
    const index = await this.index(profile);
    return Object.entries(index.users).map(([user, e]) => ({ user, versions: e.versions }));
  }

  async flush(): Promise<void> {
    for (const profile of this.dirty) await this.writeIndex(profile, await this.index(profile));
    this.dirty.clear();
  }

  private async versionsOf(profile: string, user: string | null): Promise<number[]> {
    if (user !== null) return (await this.index(profile)).users[user]?.versions ?? [];
    try {
      const files = await fs.readdir(path.join(this.dir, profile, 'generic'));
      return files.map(parseVersion).filter((v): v is number => v !== null).sort((a, b) => a - b);
    } catch {
      return [];
    }
  }

  private async pruneGeneric(profile: string): Promise<void> {
    const versions = await this.versionsOf(profile, null);
    for (const old of versions.slice(0, Math.max(0, versions.length - this.keepVersions))) {
      await fs.rm(path.join(this.dir, profile, 'generic', versionFile(old)), { force: true });
    }
  }

  private folderOf(profile: string, user: string | null, index: ProfileIndex): string {
    if (user === null) return path.join(this.dir, profile, 'generic');
    return path.join(this.dir, profile, 'users', index.users[user]?.dir ?? safeName(user));
  }

  private async index(profile: string): Promise<ProfileIndex> {
    let index = this.indexes.get(profile);
    if (!index) {
      try {
        index = JSON.parse(await fs.readFile(path.join(this.dir, profile, 'index.json'), 'utf8')) as ProfileIndex;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new Error(`cannot read model index in ${path.join(this.dir, profile)}: ${(err as Error).message}`);
        }
        index = { users: {} };
      }
      this.indexes.set(profile, index);
    }
    return index;
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
