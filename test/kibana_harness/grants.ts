/**
 * What a user's feature privilege grants, as Kibana's security plugin works it out from the
 * registered features: API privileges and saved-object types, with the FeatureRegistry's automatic
 * grants and the sub-feature privileges the role includes (`includeIn`) or was given by id.
 */
import type { SavedObjectsAccess } from './saved_objects';

export type FeaturePrivilege = 'all' | 'read' | 'none';

/** The saved-object privileges Kibana's FeatureRegistry adds to every feature (applyAutomaticPrivilegeGrants). */
const AUTOMATIC_GRANTS: Record<'all' | 'read', { all: string[]; read: string[] }> = {
  all: { all: ['telemetry'], read: ['config', 'config-global', 'url'] },
  read: { all: [], read: ['config', 'config-global', 'telemetry', 'url'] },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function grantsOf(features: readonly Record<string, any>[], privilege: FeaturePrivilege, subFeatures: readonly string[] = []): { api: Set<string>; savedObjects: SavedObjectsAccess } {
  const api = new Set<string>();
  const read = new Set<string>();
  const write = new Set<string>();
  if (privilege === 'none') return { api, savedObjects: { read, write } };
  const given = new Set(subFeatures);
  for (const f of features) {
    const p = f.privileges[privilege];
    const automatic = AUTOMATIC_GRANTS[privilege];
    for (const a of p.api ?? []) api.add(a);
    for (const t of [...p.savedObject.all, ...automatic.all]) (read.add(t), write.add(t));
    for (const t of [...p.savedObject.read, ...automatic.read]) read.add(t);
    for (const sub of f.subFeatures ?? []) {
      for (const group of sub.privilegeGroups) {
        for (const sp of group.privileges) {
          const included = sp.includeIn === 'read' || (sp.includeIn === 'all' && privilege === 'all');
          if (!included && !given.has(sp.id)) continue;
          for (const a of sp.api ?? []) api.add(a);
          for (const t of sp.savedObject.all) (read.add(t), write.add(t));
          for (const t of sp.savedObject.read) read.add(t);
        }
      }
    }
  }
  return { api, savedObjects: { read, write } };
}
