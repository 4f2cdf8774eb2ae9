import { EuiFlexGroup, EuiFlexItem, EuiPanel, EuiStat } from '@elastic/eui';
import type { OverviewResponse } from '../../common/api';
import { formatCount, formatShare } from '../logic/format';

/** The range at a glance: events scored, flagged events and users, time-series flags, errors. */
export function KpiStats({ overview, loading }: { overview: OverviewResponse; loading: boolean }) {
  const t = overview.totals;
  const stats: { key: string; title: string; description: string; color?: 'danger' | 'warning' | 'default' | 'subdued' }[] = [
    { key: 'events', title: formatCount(t.events), description: `Events (${formatCount(t.scored)} scored)` },
    {
      key: 'flagged',
      title: formatCount(t.flagged),
      // Suppressed: at or above the threshold, but the same pattern as an event an analyst marked benign.
      description: `Flagged events (z ≥ ${overview.threshold}${t.suppressed ? `; ${formatCount(t.suppressed)} more suppressed as benign` : ''})`,
      color: t.flagged > 0 ? 'danger' : 'default',
    },
    { key: 'flaggedUsers', title: `${formatCount(t.flaggedUsers)} / ${formatCount(t.users)}`, description: `Users flagged (${formatShare(t.users ? t.flaggedUsers / t.users : 0)})`, color: t.flaggedUsers > 0 ? 'danger' : 'default' },
    { key: 'tsFlagged', title: formatCount(t.tsFlagged), description: 'Time-series anomalies', color: t.tsFlagged > 0 ? 'warning' : 'default' },
    { key: 'errors', title: formatCount(t.errors), description: 'Events not scored', color: t.errors > 0 ? 'warning' : 'subdued' },
  ];
  return (
    <EuiFlexGroup gutterSize="m" wrap>
      {stats.map((s) => (
        <EuiFlexItem key={s.key} style={{ minWidth: 180 }}>
          <EuiPanel hasBorder paddingSize="m">
            <EuiStat data-test-subj={`dfpStat-${s.key}`} title={s.title} description={s.description} titleColor={s.color ?? 'default'} isLoading={loading} titleSize="m" />
          </EuiPanel>
        </EuiFlexItem>
      ))}
    </EuiFlexGroup>
  );
}
