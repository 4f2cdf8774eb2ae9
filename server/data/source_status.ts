/**
 * How far a source's scoring lags its data, read with whatever client the caller holds (in
 * Kibana, the analyst's own): the newest event in the source's indices and the time of the last
 * scored event (the source's checkpoint in the state index).
 */
import type { Client } from '@elastic/elasticsearch';
import type { SourceConfig } from '../../common/source_config';
import { Checkpoints } from '../engine/io/es/checkpoints';
import { profileOfSource, sourceIndex } from '../engine/profiles';
import { requireWhole, WHOLE_RESULTS } from '../engine/io/es/whole_search';

export async function esSourceStatus(client: Client, source: SourceConfig, stateIndex: string): Promise<{ newestEvent: string | null; scoredUpTo: string | null }> {
  const index = sourceIndex(source, profileOfSource(source));
  const [newest, checkpoint] = await Promise.all([
    client
      .search({
        index,
        size: 0,
        ignore_unavailable: true,
        allow_no_indices: true,
        ...WHOLE_RESULTS, // a shard down would report an older newest event: a lag that is not there
        aggs: { newest: { max: { field: source.timeField } } },
      })
      .then((res) => requireWhole(res, `read the newest event of ${source.id}`)),
    new Checkpoints(client, { index: stateIndex }).read(source.id),
  ]);
  const value = (newest.aggregations?.newest as { value?: number | null } | undefined)?.value;
  return {
    newestEvent: typeof value === 'number' ? new Date(value).toISOString() : null,
    scoredUpTo: checkpoint?.checkpoint.time ?? null,
  };
}
