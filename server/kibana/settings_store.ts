/**
 * Settings in Kibana: the thresholds are advanced settings (global uiSettings, validated by
 * Kibana), schedules and sources are the plugin's saved objects, and kibana.yml supplies both
 * until an admin saves them. Built per request (the caller's saved-objects and uiSettings clients,
 * so Kibana checks their privileges) or, for the scheduler, over the internal repository.
 */
import type { DfpSettings } from '../../common/api';
import { SETTINGS_KEYS } from '../../common/fields';
import { KEY_BOUND_FIELDS, type SourceConfig } from '../../common/source_config';
import { HttpError, type SettingsStore } from '../routes/types';
import type { DfpConfig } from '../config';
import { asCaller } from './kibana_errors';
import { GLOBAL_SETTINGS_TYPE } from './feature';
import { isNotFound } from './source_keys';
import { SAVED_OBJECT_TYPES, SETTINGS_OBJECT_ID, type SettingsAttributes, type SourceAttributes } from './saved_objects';
import type { IUiSettingsClient, SavedObjectsClientContract } from './types';

/** What happens to API keys when sources change; present only while serving an admin's request. */
export interface SourceKeyHooks {
  /**
   * Sources saved: grant a key to each without one, and a new key (the editor's own, replacing the
   * old) to each in `retargeted`. Resolves to the ids that got one.
   */
  added(sources: SourceConfig[], retargeted: string[]): Promise<string[]>;
  /** Source ids no longer configured: revoke their keys. */
  removed(sourceIds: string[]): Promise<void>;
}

export interface KibanaSettingsStoreDeps {
  /** Must include our hidden types. */
  savedObjects: SavedObjectsClientContract;
  /** The global advanced settings client. */
  uiSettings: IUiSettingsClient;
  config: Pick<DfpConfig, 'schedules' | 'sources'>;
  keys?: SourceKeyHooks;
  /** Told after every update (the scheduler re-plans its schedules). */
  onChange?: () => Promise<void>;
  user?: string;
  now?: () => number;
}

type StoredSource = SourceAttributes & { position?: number };

/** The ids of sources in `next` whose key-bound fields differ from the same source in `previous`. */
export function retargetedSources(previous: SourceConfig[], next: SourceConfig[]): string[] {
  const before = new Map(previous.map((s) => [s.id, s]));
  return next.filter((s) => {
    const old = before.get(s.id);
    return old !== undefined && KEY_BOUND_FIELDS.some((f) => old[f] !== s[f]);
  }).map((s) => s.id);
}

const PAGE = 1000;

export class KibanaSettingsStore implements SettingsStore {
  constructor(private readonly deps: KibanaSettingsStoreDeps) {}

  async get(): Promise<DfpSettings> {
    const [zscoreThreshold, tsThreshold, userRiskThreshold, minHistory, stored] = await Promise.all([
      this.deps.uiSettings.get<number>(SETTINGS_KEYS.zscoreThreshold),
      this.deps.uiSettings.get<number>(SETTINGS_KEYS.tsThreshold),
      this.deps.uiSettings.get<number>(SETTINGS_KEYS.userRiskThreshold),
      this.deps.uiSettings.get<number>(SETTINGS_KEYS.minHistory),
      this.settingsObject(),
    ]);
    return {
      zscoreThreshold,
      tsThreshold,
      userRiskThreshold,
      minHistory,
      schedules: stored?.schedules ?? { ...this.deps.config.schedules },
      sources: stored?.sourcesSaved ? await this.savedSources() : this.deps.config.sources,
    };
  }

  async update(patch: Partial<DfpSettings>): Promise<DfpSettings> {
    const before = await this.get();
    if (patch.sources) await this.saveSources(before.sources, patch.sources);

    const thresholds: Record<string, number> = {};
    if (patch.zscoreThreshold !== undefined) thresholds[SETTINGS_KEYS.zscoreThreshold] = patch.zscoreThreshold;
    if (patch.tsThreshold !== undefined) thresholds[SETTINGS_KEYS.tsThreshold] = patch.tsThreshold;
    if (patch.userRiskThreshold !== undefined) thresholds[SETTINGS_KEYS.userRiskThreshold] = patch.userRiskThreshold;
    if (patch.minHistory !== undefined) thresholds[SETTINGS_KEYS.minHistory] = patch.minHistory;
    // Global advanced settings are the `config-global` saved object, written as the caller.
    if (Object.keys(thresholds).length > 0) await asCaller('save Digital Fingerprinting thresholds (global advanced settings)', GLOBAL_SETTINGS_TYPE, () => this.deps.uiSettings.setMany(thresholds));

    if (patch.schedules || patch.sources) {
      const stored = await this.settingsObject();
      const next: SettingsAttributes = {
        schedules: patch.schedules ?? stored?.schedules,
        sourcesSaved: Boolean(patch.sources) || stored?.sourcesSaved,
        updatedAt: this.isoNow(),
        updatedBy: this.deps.user,
      };
      await asCaller('save Digital Fingerprinting schedules', SAVED_OBJECT_TYPES.settings, () =>
        this.deps.savedObjects.create(SAVED_OBJECT_TYPES.settings, next, { id: SETTINGS_OBJECT_ID, overwrite: true }),
      );
    }
    await this.deps.onChange?.();
    return this.get();
  }

  /**
   * Writes the new source list. Keys are granted first: when that fails (a login that cannot
   * grant keys), nothing is saved and the admin is told why.
   */
  private async saveSources(previous: SourceConfig[], next: SourceConfig[]): Promise<void> {
    const { keys } = this.deps;
    const removed = previous.filter((p) => !next.some((s) => s.id === p.id)).map((p) => p.id);
    if (!keys && (removed.length > 0 || next.length > 0)) {
      throw new HttpError(400, 'sources change only through an admin\'s request in the app (their API keys are granted with it)');
    }
    const granted = (await keys?.added(next, retargetedSources(previous, next))) ?? [];
    const at = this.isoNow();
    const what = 'save Digital Fingerprinting sources';
    try {
      for (const [position, config] of next.entries()) {
        const attributes: StoredSource = { config, position, updatedAt: at, updatedBy: this.deps.user };
        await asCaller(what, SAVED_OBJECT_TYPES.source, () => this.deps.savedObjects.create(SAVED_OBJECT_TYPES.source, attributes, { id: config.id, overwrite: true }));
      }
      for (const id of removed) {
        try {
          await asCaller(what, SAVED_OBJECT_TYPES.source, () => this.deps.savedObjects.delete(SAVED_OBJECT_TYPES.source, id));
        } catch (e) {
          if (!isNotFound(e)) throw e; // a kibana.yml source was never saved
        }
      }
    } catch (e) {
      // Not saved: the keys granted for it would only be credentials nobody uses.
      await keys?.removed(granted).catch(() => undefined);
      throw e;
    }
    if (removed.length > 0) await keys?.removed(removed);
  }

  private async settingsObject(): Promise<SettingsAttributes | null> {
    try {
      return (await this.deps.savedObjects.get<SettingsAttributes>(SAVED_OBJECT_TYPES.settings, SETTINGS_OBJECT_ID)).attributes;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  private async savedSources(): Promise<SourceConfig[]> {
    const found: StoredSource[] = [];
    for (let page = 1; ; page++) {
      const res = await this.deps.savedObjects.find<StoredSource>({ type: SAVED_OBJECT_TYPES.source, perPage: PAGE, page });
      found.push(...res.saved_objects.map((so) => so.attributes));
      if (res.saved_objects.length < PAGE || found.length >= res.total) break;
    }
    return found.sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((s) => s.config);
  }

  private isoNow(): string {
    return new Date((this.deps.now ?? Date.now)()).toISOString();
  }
}
