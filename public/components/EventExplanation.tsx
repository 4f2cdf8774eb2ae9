import { EuiBadge, EuiBasicTable, EuiIcon, EuiText, type EuiBasicTableColumn } from '@elastic/eui';
import type { ScoredEventDoc } from '../../common/api';
import { explainEvent, formatFeatureZ, rolloutText, type ExplanationRow } from '../logic/explanation';
import { formatNumber, formatZ } from '../logic/format';

/** Why one event was anomalous: every feature's z, the value seen and what the model expected. */
export function EventExplanation({ event, threshold }: { event: ScoredEventDoc; threshold?: number }) {
  if (event.dfp.error) {
    return (
      <EuiText size="s" color="warning" data-test-subj="dfpExplanationError">
        <p>Not scored: {event.dfp.error}</p>
      </EuiText>
    );
  }
  const rows = explainEvent(event);
  const columns: EuiBasicTableColumn<ExplanationRow>[] = [
    {
      field: 'feature',
      name: 'Feature',
      render: (f: string, r: ExplanationRow) => (
        <span>
          {r.top && <EuiIcon type="warning" color="danger" aria-label="one of the features that made it anomalous" />} {r.top ? <strong>{f}</strong> : f}
        </span>
      ),
    },
    { field: 'z', name: 'z', width: '80px', dataType: 'number', render: (z: number) => (z >= 3 ? <EuiBadge color={z >= 5 ? 'danger' : 'warning'}>{formatFeatureZ(z)}</EuiBadge> : formatFeatureZ(z)) },
    {
      field: 'seen',
      name: 'Value seen (expected)',
      render: (seen: string, r: ExplanationRow) => (
        <span data-test-subj="dfpSeenExpected">
          {r.differs ? <strong>{seen}</strong> : seen}{' '}
          <EuiText size="xs" color="subdued" component="span">
            {r.history !== undefined ? `— ${r.history}` : `(expected ${r.expected})`}
          </EuiText>
        </span>
      ),
    },
  ];
  return (
    <div data-test-subj="dfpExplanation" style={{ width: '100%' }}>
      <EuiText size="xs" color="subdued">
        <p>
          dfp.zscore {formatZ(event.dfp.zscore, threshold)} · mean feature z {formatNumber(event.dfp.anomaly_score)} · max feature z {formatNumber(event.dfp.max_abs_z)}
          {event.dfp.model ? ` · model ${event.dfp.model.generic ? 'generic' : 'own'} v${event.dfp.model.version}` : ''}
          {event.dfp.ts_anomaly ? ` · time-series anomaly (z ${formatNumber(event.dfp.ts_zscore)})` : ''}
        </p>
      </EuiText>
      {event.dfp.rollout && (
        <EuiText size="xs" data-test-subj="dfpRollout">
          <p>
            <EuiIcon type="users" aria-hidden /> {event.dfp.rollout.feature} <strong>{event.dfp.rollout.value}</strong> is new to this user, and {rolloutText(event.dfp.rollout)}.
          </p>
        </EuiText>
      )}
      <EuiBasicTable<ExplanationRow>
        tableCaption="Features of the event, most unusual first"
        items={rows}
        columns={columns}
        compressed
        rowProps={(r: ExplanationRow) => ({ 'data-test-subj': r.top ? 'dfpExplanationRow dfpExplanationRow-top' : 'dfpExplanationRow', 'data-feature': r.feature })}
      />
    </div>
  );
}
