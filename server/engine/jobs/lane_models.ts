import type { ScoringModel } from '../model/scoring_model';
import { usualSlots } from '../model/history';
import type { SchemaInfo } from './lane_numbers';

/**
 * What a lane derives from a model alone, kept per model on this thread (models stay on the shelf
 * from run to run, and a scheduled run's lanes meet each user's model page after page).
 */
const derived = new WeakMap<ScoringModel, Derived>();

interface Derived {
  schema: SchemaInfo & { key: string };
  usual: ([number, number][] | null)[];
}

function derivedOf(model: ScoringModel): Derived {
  let d = derived.get(model);
  if (!d) {
    const names = model.json.schema.names;
    const kinds = model.columns.map((c) => c.kind);
    const { history } = model.json;
    const usual = model.columns.map((col, c) => {
      const h = history?.columns[c];
      return col.kind === 'categorical' && h && model.fromHistory?.slotZ[c] ? usualSlots(col.vocab, h.counts, history!.rows) : null;
    });
    d = { schema: { key: `${names.join('\u0000')}\u0001${kinds.join(',')}`, names, kinds }, usual };
    derived.set(model, d);
  }
  return d;
}

/** The model's schema as a lane describes it, with a key naming it. */
export function schemaOfModel(model: ScoringModel): SchemaInfo & { key: string } {
  return derivedOf(model).schema;
}

/** Per column of the model: its usual values as vocabulary slots and shares (usualSlots), null where it keeps no history. */
export function usualOfModel(model: ScoringModel): ([number, number][] | null)[] {
  return derivedOf(model).usual;
}

