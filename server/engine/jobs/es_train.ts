import type { Client } from '@elastic/elasticsearch';
import { sourceIndex } from '../profiles';
import type { SourceConfig } from '../../../common/source_config';
import { DEFAULTS } from '../../../common/fields';
import type { Profile } from '../profiles';
import { profileSourcePaths, readEsEvents } from '../io/es/source';
import { trainModels, type TrainOptions, type TrainSummary } from './train';

const DAY_MS = 86_400_000;

export interface EsTrainOptions extends Omit<TrainOptions, 'profile'> {
  source: SourceConfig;
  profile: Profile;
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
 * the fields the profile uses), then the same pipeline as files (jobs/train.ts).
 */
export async function trainEsSource(client: Client, opts: EsTrainOptions): Promise<EsTrainSummary> {
  const { source, profile } = opts;
  const index = sourceIndex(source, profile);
  const to = opts.to ?? opts.until ?? Date.now() - source.settleSeconds * 1000;
  const from = to - (opts.windowDays ?? DEFAULTS.windowDays) * DAY_MS;
  const items = readEsEvents(client, { index, timeField: source.timeField, from, to, sourcePaths: profileSourcePaths(profile), pageSize: opts.pageSize });
  const summary = await trainModels(items, { ...opts, profile, until: to });
  return { ...summary, source: source.id, index, read: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
}
