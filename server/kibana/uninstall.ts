/**
 * Removes what the plugin keeps in Kibana, before it is uninstalled. Kibana's upgrade migration
 * stops (FATAL "documents from unknown saved object types") when `.kibana` still holds objects of
 * a type no plugin registers, unless kibana.yml sets `migrations.discardUnknownObjects` to the
 * version being upgraded to. Our types are hidden: only a client that includes them — this
 * plugin's, while it is installed — can delete them, so the plugin does it itself.
 *
 * Runs as the calling admin: their privileges (the feature's All) delete the objects and reset the
 * advanced settings; their sources' API keys are invalidated in Elasticsearch.
 */
import type { SavedObjectsRemovalResponse } from '../../common/api';
import { SETTINGS_KEYS } from '../../common/fields';
import { SCORES_TEMPLATE } from '../engine/io/es/dfp_mappings';
import { USER_RISK_TEMPLATE } from '../engine/io/es/user_risk_stream';
import { ownedIndexNames } from '../engine/io/es/owned_index';
import { asCaller } from './kibana_errors';
import { GLOBAL_SETTINGS_TYPE } from './feature';
import { SAVED_OBJECT_TYPES, type SourceKeyAttributes } from './saved_objects';
import type { SourceKeys } from './source_keys';
import type { IUiSettingsClient, SavedObjectsClientContract } from './types';

export interface RemovalDeps {
  /** The caller's client, including our hidden types. */
  savedObjects: SavedObjectsClientContract;
  /** The caller's global advanced settings client. */
  uiSettings: IUiSettingsClient;
  keys: SourceKeys;
  indexPrefix: string;
}

const WHAT = 'remove Digital Fingerprinting saved objects';
const PAGE = 100;
/** Pages of deletions at most per type: a guard against a store that keeps answering the same page. */
const MAX_ROUNDS = 10_000;

/** Deletes every object of `type` (page 1 until empty: deleting shifts the pages). */
async function deleteAll(savedObjects: SavedObjectsClientContract, type: string, remove: (id: string, attributes: unknown) => Promise<void>): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = await asCaller(WHAT, type, () => savedObjects.find<unknown>({ type, perPage: PAGE, page: 1 }));
    if (page.saved_objects.length === 0) return deleted;
    for (const o of page.saved_objects) {
      await remove(o.id, o.attributes);
      deleted++;
    }
  }
  throw new Error(`${type} objects kept coming back after ${deleted} deletions`);
}

export async function removeDfpSavedObjects(deps: RemovalDeps): Promise<SavedObjectsRemovalResponse> {
  const { savedObjects, keys } = deps;
  const invalidatedKeys: string[] = [];
  const deleted: Record<string, number> = {};
  const plainDelete = (type: string) => async (id: string) => {
    await asCaller(WHAT, type, () => savedObjects.delete(type, id));
  };

  // Keys first: a key object deleted but its key left valid would be a credential nobody tracks.
  deleted[SAVED_OBJECT_TYPES.sourceKey] = await deleteAll(savedObjects, SAVED_OBJECT_TYPES.sourceKey, async (id, attributes) => {
    const { sourceId } = attributes as Partial<SourceKeyAttributes>;
    const keyId = typeof sourceId === 'string' ? await keys.revoke(savedObjects, sourceId) : null;
    if (keyId) invalidatedKeys.push(keyId);
    else await plainDelete(SAVED_OBJECT_TYPES.sourceKey)(id); // not at its derived id: delete it as found
  });
  deleted[SAVED_OBJECT_TYPES.source] = await deleteAll(savedObjects, SAVED_OBJECT_TYPES.source, plainDelete(SAVED_OBJECT_TYPES.source));
  deleted[SAVED_OBJECT_TYPES.settings] = await deleteAll(savedObjects, SAVED_OBJECT_TYPES.settings, plainDelete(SAVED_OBJECT_TYPES.settings));

  // Unregistered keys left in config-global do not stop migrations, but nothing would read them again.
  const resetSettings = Object.values(SETTINGS_KEYS);
  await asCaller('reset Digital Fingerprinting advanced settings', GLOBAL_SETTINGS_TYPE, () => deps.uiSettings.removeMany(resetSettings));

  const names = ownedIndexNames(deps.indexPrefix);
  const indices = [names.models, names.state];
  return {
    deleted,
    invalidatedKeys,
    resetSettings,
    remaining: {
      indices,
      // As ensureOwnedIndex names them.
      indexTemplates: [...indices.map((i) => `${i.replace(/^\./, '')}-template`), SCORES_TEMPLATE, USER_RISK_TEMPLATE],
      dataStreams: [`${SCORES_TEMPLATE}-*`, `${USER_RISK_TEMPLATE}-*`],
    },
    next:
      'Remove the plugin now on every Kibana instance (bin/kibana-plugin remove digitalFingerprinting) and restart Kibana: until then its schedules keep ' +
      'running with the kibana.yml sources. The indices, templates and data streams listed under "remaining" hold models, job runs, scores and user risk; delete them ' +
      'when they are no longer wanted. dfp.* fields written into source indices (writeMode in_place), and their mappings (also merged into ' +
      'the <template>@custom component templates of in-place data streams), stay.',
  };
}
