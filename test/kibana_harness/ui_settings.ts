/**
 * Kibana's advanced settings (uiSettings) as the harness keeps them: registration (a key once, per
 * space or global), defaults validated at start, and the client over a caller's saved-objects
 * client, storing values in the `config` / `config-global` saved objects core registers.
 */
import { isConfigSchema } from './config_schema';
import { BoomError, type RegisteredType, type SavedObjectsStore } from './saved_objects';

/** The saved-object types Kibana core registers for advanced settings (per space and global). */
export const CORE_TYPES: RegisteredType[] = [
  { name: 'config', hidden: false, namespaceType: 'single', mappings: { properties: { buildNum: { type: 'keyword' } } } },
  { name: 'config-global', hidden: false, namespaceType: 'agnostic', mappings: { properties: { buildNum: { type: 'keyword' } } } },
];

export type SoClient = ReturnType<SavedObjectsStore['client']>;

/** uiSettings as registered: key → params, and whether they are global. */
export type UiSettingsRegistry = Map<string, { params: Record<string, any>; global: boolean }>;

export interface UiSettingsClient {
  get(key: string): Promise<unknown>;
  setMany(changes: Record<string, unknown>): Promise<void>;
  removeMany(keys: string[]): Promise<void>;
}

export function registerUiSettings(registry: UiSettingsRegistry, settings: Record<string, Record<string, unknown>>, global: boolean): void {
  for (const [key, params] of Object.entries(settings)) {
    if (registry.has(key)) throw new Error(`uiSettings for the key [${key}] has been already registered`);
    registry.set(key, { params, global });
  }
}

/** Kibana validates every registered default against its schema at start. */
export function validateUiSettingDefaults(registry: UiSettingsRegistry): void {
  for (const [key, { params }] of registry) {
    if (!isConfigSchema(params.schema)) throw new Error(`Validation schema is not provided for [${key}] UI Setting`);
    params.schema.validate(params.value, {}, `ui settings defaults [${key}]`);
  }
}

/**
 * Kibana's uiSettings client over `so` (the caller's saved-objects client): values live in the
 * `config` / `config-global` object with the Kibana version as id, validated with their schemas on
 * write. As Kibana's, a write is an update, then a create when there is no object yet; a read the
 * caller may not make answers the defaults.
 */
export function uiSettingsClient(registry: UiSettingsRegistry, kibanaVersion: string, global: boolean, so: SoClient): UiSettingsClient {
  const type = global ? 'config-global' : 'config';
  const id = kibanaVersion;
  const known = (key: string) => {
    const s = registry.get(key);
    if (!s || s.global !== global) throw new BoomError(400, `Setting with a key [${key}] is not registered`);
    return s.params;
  };
  const read = async (): Promise<Record<string, unknown>> => {
    try {
      return (await so.get<Record<string, unknown>>(type, id)).attributes;
    } catch (e) {
      const status = (e as BoomError).output?.statusCode;
      if (status === 404 || status === 403) return {};
      throw e;
    }
  };
  const write = async (changes: Record<string, unknown>): Promise<void> => {
    try {
      await so.update(type, id, changes);
    } catch (e) {
      if ((e as BoomError).output?.statusCode !== 404) throw e;
      await so.create(type, { buildNum: 1, ...changes }, { id });
    }
  };
  return {
    get: async (key: string) => {
      const params = known(key);
      const stored = await read();
      const value = Object.hasOwn(stored, key) ? stored[key] : null;
      return value === null || value === undefined ? params.value : value;
    },
    setMany: async (changes: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(changes)) {
        try {
          known(key).schema.validate(value, {}, `validation [${key}]`);
        } catch (e) {
          throw new BoomError(400, (e as Error).message);
        }
      }
      await write(changes);
    },
    removeMany: async (keys: string[]) => {
      for (const key of keys) known(key);
      await write(Object.fromEntries(keys.map((k) => [k, null])));
    },
  };
}
