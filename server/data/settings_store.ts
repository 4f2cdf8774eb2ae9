import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_SCHEDULES, type DfpSettings } from '../../common/api';
import { DEFAULTS } from '../../common/fields';
import { CONFLICT, readStateDoc, writeStateDoc } from '../engine/io/es/state_index';
import type { SettingsStore } from '../routes/types';

export function defaultSettings(sources: DfpSettings['sources'] = []): DfpSettings {
  return {
    zscoreThreshold: DEFAULTS.zscoreThreshold,
    tsThreshold: DEFAULTS.tsThreshold,
    userRiskThreshold: DEFAULTS.userRiskThreshold,
    minHistory: DEFAULTS.minHistory,
    schedules: { ...DEFAULT_SCHEDULES },
    sources,
  };
}

/** Settings of the standalone server over files: a JSON file beside the data. */
export class FileSettingsStore implements SettingsStore {
  constructor(
    private readonly file: string,
    private readonly defaults: DfpSettings,
  ) {}

  async get(): Promise<DfpSettings> {
    try {
      return { ...this.defaults, ...(JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<DfpSettings>) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.defaults;
      throw new Error(`cannot read settings ${this.file}: ${(e as Error).message}`);
    }
  }

  async update(patch: Partial<DfpSettings>): Promise<DfpSettings> {
    const next = { ...(await this.get()), ...patch };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.writeFile(`${this.file}.tmp`, JSON.stringify(next, null, 2));
    await fs.rename(`${this.file}.tmp`, this.file);
    return next;
  }
}

/**
 * Settings of the standalone server over a cluster: one document in the state index, updated with
 * seq_no concurrency so two admins' changes never silently overwrite each other's other fields.
 * (In Kibana, the plugin keeps them in advanced settings and its saved objects instead.)
 */
export class EsSettingsStore implements SettingsStore {
  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly defaults: DfpSettings,
  ) {}

  async get(): Promise<DfpSettings> {
    const doc = await readStateDoc<Partial<DfpSettings>>(this.client, this.index, 'settings', 'default');
    return { ...this.defaults, ...(doc?.value ?? {}) };
  }

  async update(patch: Partial<DfpSettings>): Promise<DfpSettings> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await readStateDoc<Partial<DfpSettings>>(this.client, this.index, 'settings', 'default');
      const next = { ...this.defaults, ...(doc?.value ?? {}), ...patch };
      const written = await writeStateDoc(this.client, this.index, 'settings', 'default', next, doc ? { seqNo: doc.seqNo, primaryTerm: doc.primaryTerm } : null);
      if (written !== CONFLICT) return next;
    }
    throw new Error('settings kept changing under this update (5 conflicts in a row): try again');
  }
}
