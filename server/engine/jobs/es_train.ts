import type { Client } from '@elastic/elasticsearch';
import { sourceIndex } from '../profiles';
import type { SourceConfig } from '../../../common/source_config';
import { DEFAULTS } from '../../../common/fields';
import type { Profile } from '../profiles';
import { hitOfLabel, profileSourcePaths, readEsEvents } from '../io/es/source';
import { flaggedScores } from '../io/es/flagged_scores';
import { scoresDocId, scoresStreamName } from '../io/es/sink';
import type { InputItem, RawEvent } from '../types';
import type { TriageStore } from '../io/triage_store';
import { trainModels, type TrainOptions, type TrainSummary } from './train';
import { LEFT_OUT_FIELDS } from '../model/left_out';

const DAY_MS = 86_400_000;

export interface EsTrainOptions extends Omit<TrainOptions, 'profile' | 'triage' | 'eventRef'> {
  source: SourceConfig;
  profile: Profile;
  /**
   * Where analysts' decisions are kept (`.dfp-triage`): users marked compromised are not learned
   * from then on; single events marked benign are learned, marked compromised never (by the
   * source document's index and id).
   */
  triage?: TriageStore;
  /** Train on [to − windowDays, to); default `until`, else now − the source's settle time. */
  to?: number;
  pageSize?: number;
}

export interface EsTrainSummary extends TrainSummary {
  source: string;
  index: string;
  read: { from: string; to: string };
}

/**
 * Training from an Elasticsearch source: the training window read through a point in time (only
 * the fields the profile uses, and the dfp fields that keep flagged events out of training), then
 * the same pipeline as files (jobs/train.ts).
 */
export async function trainEsSource(client: Client, opts: EsTrainOptions): Promise<EsTrainSummary> {
  const { source, profile } = opts;
  const index = sourceIndex(source, profile);
  const to = opts.to ?? opts.until ?? Date.now() - source.settleSeconds * 1000;
  const from = to - (opts.windowDays ?? DEFAULTS.windowDays) * DAY_MS;
  // With the dfp fields a run wrote in place, so that its flagged events are not learned (model/left_out.ts).
  const sourcePaths = [...profileSourcePaths(profile), ...LEFT_OUT_FIELDS];
  const read = readEsEvents(client, { index, timeField: source.timeField, from, to, sourcePaths, pageSize: opts.pageSize });
  // Scores mode: the flags are on the scores copies, joined onto their events here.
  const threshold = opts.threshold ?? DEFAULTS.zscoreThreshold;
  const items =
    source.writeMode === 'scores'
      ? withScores(read, await flaggedScores(client, { stream: scoresStreamName(source.namespace), source: source.id, from, to, threshold, retry: { signal: opts.signal } }))
      : read;
  const triage = opts.triage ? await opts.triage.records(source.id) : [];
  const summary = await trainModels(items, { ...opts, profile, until: to, threshold, triage, eventRef: (item) => hitOfLabel(item.source.file) });
  return { ...summary, source: source.id, index, read: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
}

/** Each event with its scores copy's dfp fields, where the copy was flagged. */
async function* withScores(items: AsyncIterable<InputItem>, flagged: Map<string, RawEvent>): AsyncGenerator<InputItem> {
  for await (const item of items) {
    if (item.kind === 'event' && flagged.size > 0) {
      const { index, id } = hitOfLabel(item.source.file);
      const scores = flagged.get(scoresDocId(index, id));
      if (scores) {
        yield { ...item, event: { ...item.event, dfp: scores.dfp } };
        continue;
      }
    }
    yield item;
  }
}
