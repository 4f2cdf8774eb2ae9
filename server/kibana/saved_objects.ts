/**
 * The plugin's saved objects: its settings (schedules), its sources, and per source the API key
 * that background jobs run with. All hidden (no saved-objects UI, no export: they hold
 * credentials and job wiring) and space-agnostic (the jobs serve every space).
 *
 * The key lives in its own object, written whole each time, rather than on the source: the
 * encryptedSavedObjects plugin binds the ciphertext to the object's other attributes (AAD), so a
 * partial update of a source holding it would make the key undecryptable.
 */
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../common/source_config';
import type { ConfigSchemaApi, EncryptedSavedObjectsPluginSetup, SavedObjectsModelVersion, SavedObjectsType } from './types';

export const SAVED_OBJECT_TYPES = { settings: 'dfp-settings', source: 'dfp-source', sourceKey: 'dfp-source-key' } as const;
export const HIDDEN_TYPES: string[] = Object.values(SAVED_OBJECT_TYPES);

/** The one settings object. */
export const SETTINGS_OBJECT_ID = 'dfp-settings';

export interface SettingsAttributes {
  schedules?: { train: string; score: string };
  /** Once an admin saved sources, the saved ones are in force even when none are left (kibana.yml's stop applying). */
  sourcesSaved?: boolean;
  updatedAt: string;
  updatedBy?: string;
}

export interface SourceAttributes {
  config: SourceConfig;
  updatedAt: string;
  updatedBy?: string;
}

export interface SourceKeyAttributes {
  sourceId: string;
  /** Elasticsearch's id of the key (to invalidate it on renewal). */
  keyId: string;
  keyName: string;
  /** The admin whose privileges the key carries. */
  owner: string;
  createdAt: string;
  /** Encrypted: the key as Elasticsearch's `encoded` form, base64 of `id:api_key`. */
  apiKey: string;
}

/**
 * The key object's id: a name-based (v5) UUID of the source id. encryptedSavedObjects refuses
 * chosen ids unless they are UUIDs; a derived one still lets us find the key by source.
 */
export function sourceKeyObjectId(sourceId: string): string {
  const namespace = Buffer.from('6f1d7a2c9e4b4c1e8a3d5b7f0e2c4a6b', 'hex'); // fixed: ours alone
  const hash = createHash('sha1').update(namespace).update(sourceId, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const common = { hidden: true, namespaceType: 'agnostic', management: { importableAndExportable: false } } as const;

/**
 * Version 1 of a type: no changes (its `mappings` are the first shape). `create` checks each write
 * (Kibana refuses unknown attributes with a 400); `forwardCompatibility` drops the attributes a
 * newer version may add, so this version can read objects that version wrote.
 */
function firstVersion(schema: ConfigSchemaApi, attributes: Parameters<ConfigSchemaApi['object']>[0]): Record<string, SavedObjectsModelVersion> {
  return {
    1: {
      changes: [],
      schemas: { create: schema.object(attributes), forwardCompatibility: schema.object(attributes, { unknowns: 'ignore' }) },
    },
  };
}

export function dfpSavedObjectTypes(schema: ConfigSchemaApi): SavedObjectsType[] {
  const text = () => schema.string();
  const stamp = { updatedAt: text(), updatedBy: schema.maybe(text()) };
  return [
    {
      ...common,
      name: SAVED_OBJECT_TYPES.settings,
      mappings: { dynamic: false, properties: { updatedAt: { type: 'date' } } },
      modelVersions: firstVersion(schema, {
        schedules: schema.maybe(schema.object({ train: text(), score: text() })),
        sourcesSaved: schema.maybe(schema.boolean()),
        ...stamp,
      }),
    },
    {
      ...common,
      name: SAVED_OBJECT_TYPES.source,
      mappings: { dynamic: false, properties: { updatedAt: { type: 'date' } } },
      // The source config was validated by the settings route (common/source_config.ts) before it is saved.
      modelVersions: firstVersion(schema, { config: schema.object({}, { unknowns: 'allow' }), position: schema.maybe(schema.number()), ...stamp }),
    },
    {
      ...common,
      name: SAVED_OBJECT_TYPES.sourceKey,
      mappings: { dynamic: false, properties: { sourceId: { type: 'keyword' }, owner: { type: 'keyword' } } },
      modelVersions: firstVersion(schema, { sourceId: text(), keyId: text(), keyName: text(), owner: text(), createdAt: text(), apiKey: text() }),
    },
  ];
}

/** Asks encryptedSavedObjects to encrypt the key attribute at rest. */
export function registerEncryptedTypes(eso: EncryptedSavedObjectsPluginSetup): void {
  eso.registerType({ type: SAVED_OBJECT_TYPES.sourceKey, attributesToEncrypt: new Set(['apiKey']) });
}
