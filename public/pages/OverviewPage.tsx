import { useState } from 'react';
import { EuiButton, EuiEmptyPrompt, EuiPanel, EuiSpacer, EuiText, EuiTitle } from '@elastic/eui';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { rangeEndingAt } from '../logic/range';
import { formatTime } from '../logic/format';
import { AnomaliesOverTimeChart } from '../components/AnomaliesOverTimeChart';
import { ErrorState } from '../components/ErrorState';
import { KpiStats } from '../components/KpiStats';
import { LoadingState } from '../components/LoadingState';
import { UsersTable, type UsersTableQuery } from '../components/UsersTable';
import { RiskSwimlane } from '../components/RiskSwimlane';

/** Rows of the swimlane: the riskiest users. */
const SWIMLANE_USERS = 10;

/** Who is risky in the range: KPIs, anomalies over time, and users ranked by their risk (dfp.user_risk). */
export function OverviewPage({ refreshKey }: { refreshKey: number }) {
  const { api, source, range, status, setRange, navigate } = useApp();
  const [query, setQuery] = useState<UsersTableQuery>({ page: 1, perPage: 25, sort: 'userRisk', order: 'desc', search: '' });
  const scope = { source, from: range.from, to: range.to };
  const overview = useRequest(() => api.overview(scope), [api, source, range.from, range.to, refreshKey]);
  const users = useRequest(
    () => api.users({ ...scope, page: query.page, perPage: query.perPage, sort: query.sort, order: query.order, search: query.search || undefined }),
    [api, source, range.from, range.to, query, refreshKey],
  );
  const swimlane = useRequest(() => api.swimlane({ ...scope, users: SWIMLANE_USERS }), [api, source, range.from, range.to, refreshKey]);

  const newest = status?.sources.find((s) => s.source === source)?.newestEvent ?? null;
  const jump = newest ? rangeEndingAt(newest) : null;
  const empty = overview.data && overview.data.totals.events === 0;

  return (
    <>
      {overview.error ? (
        <ErrorState what="the overview" error={overview.error} onRetry={overview.reload} />
      ) : !overview.data ? (
        <LoadingState what="the overview" />
      ) : empty ? (
        <EuiEmptyPrompt
          data-test-subj="dfpOverviewEmpty"
          iconType="visBarVertical"
          title={<h2>No scored events in this range</h2>}
          body={<p>{newest ? `The newest scored event of ${source} is from ${formatTime(newest)}.` : 'Nothing has been scored for this source yet: the scoring schedule or a score job fills it.'}</p>}
          actions={jump ? <EuiButton onClick={() => setRange(jump)} data-test-subj="dfpJumpToData">Show the 7 days up to it</EuiButton> : undefined}
        />
      ) : (
        <>
          <KpiStats overview={overview.data} loading={overview.loading} />
          <EuiSpacer size="m" />
          <EuiPanel hasBorder>
            <EuiTitle size="xs">
              <h3>Anomalies over time (per {overview.data.interval})</h3>
            </EuiTitle>
            <AnomaliesOverTimeChart overview={overview.data} />
          </EuiPanel>
          <EuiSpacer size="m" />
          <EuiPanel hasBorder>
            <EuiTitle size="xs">
              <h3>Riskiest users over time</h3>
            </EuiTitle>
            <EuiText size="xs" color="subdued">
              <p>The {SWIMLANE_USERS} users with the highest risk; each cell: their highest risk (0–100) in that {swimlane.data?.interval ?? 'bucket'}. Click a cell to open the user at that time.</p>
            </EuiText>
            {swimlane.error ? (
              <ErrorState what="the swimlane" error={swimlane.error} onRetry={swimlane.reload} />
            ) : !swimlane.data ? (
              <LoadingState what="the swimlane" />
            ) : (
              <RiskSwimlane swimlane={swimlane.data} onCellClick={(user, r) => navigate({ page: 'user', user }, r)} />
            )}
          </EuiPanel>
        </>
      )}
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Users by risk</h3>
        </EuiTitle>
        <EuiSpacer size="s" />
        <UsersTable response={users.data} loading={users.loading} error={users.error} query={query} onQueryChange={setQuery} />
      </EuiPanel>
    </>
  );
}
