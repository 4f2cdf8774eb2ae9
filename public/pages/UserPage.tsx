import { EuiButton, EuiButtonEmpty, EuiCallOut, EuiEmptyPrompt, EuiFlexGroup, EuiFlexItem, EuiPanel, EuiSpacer, EuiStat, EuiText, EuiTitle } from '@elastic/eui';
import type { ScoredEventDoc } from '../../common/api';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { useUserTriage } from '../hooks/use_user_triage';
import { scoredIndexOf } from '../logic/discover';
import { formatCount, formatTime, formatZ } from '../logic/format';
import { tsTimeline, zscoreTimeline } from '../logic/series';
import { AnomalousEventsTable } from '../components/AnomalousEventsTable';
import { DiscoverLink } from '../components/DiscoverLink';
import { ErrorState } from '../components/ErrorState';
import { FingerprintGrid } from '../components/FingerprintGrid';
import { LoadingState } from '../components/LoadingState';
import { ModelPanel } from '../components/ModelPanel';
import { TriagePanel } from '../components/TriagePanel';
import { ZscoreTimelineChart } from '../components/ZscoreTimelineChart';
import { RiskLevelBadges } from '../components/RiskLevelBadges';
import { WhySummary } from '../components/WhySummary';
import { riskText } from '../logic/priorities';

/** Events drawn on the timelines: enough for weeks of a busy user, bounded for the browser. */
const TIMELINE_PAGES = 4;
const TIMELINE_PAGE_SIZE = 500;

/** One user's drilldown: who, which model, the fingerprint, z over time, and the anomalous events explained. */
export function UserPage({ user, refreshKey }: { user: string; refreshKey: number }) {
  const { api, source, range, settings, navigate } = useApp();
  const scope = { source, from: range.from, to: range.to };
  const risk = useRequest(() => api.users({ ...scope, search: user, perPage: 10 }), [api, user, source, range.from, range.to, refreshKey]);
  const fingerprint = useRequest(() => api.fingerprint(user, scope), [api, user, source, range.from, range.to, refreshKey]);
  const timeline = useRequest(async () => {
    const events: ScoredEventDoc[] = [];
    let total = 0;
    for (let page = 1; page <= TIMELINE_PAGES; page++) {
      const res = await api.userEvents(user, { ...scope, page, perPage: TIMELINE_PAGE_SIZE, sort: 'time', order: 'asc' });
      events.push(...res.events);
      total = res.total;
      if (events.length >= total || res.events.length === 0) break;
    }
    return { events, total };
  }, [api, user, source, range.from, range.to, refreshKey]);
  // One loaded triage state for the Triage panel and the events table: a decision in either shows in both.
  const triage = useUserTriage(fingerprint.data?.source ?? source, user);

  // The API's 404: no model and no scored event anywhere (a mistyped or stale link). One clear
  // state instead of a page of the generic model's details and zeros.
  if (fingerprint.error?.status === 404) {
    return (
      <EuiEmptyPrompt
        data-test-subj="dfpNoSuchUser"
        iconType="userAvatar"
        title={<h2>No such user</h2>}
        body={<p>{`"${user}" has no model and no scored event in ${source ?? 'this source'}. Check the name, or pick the user from the overview.`}</p>}
        actions={
          <EuiButton onClick={() => navigate({ page: 'overview' })} data-test-subj="dfpBackToOverview">
            All users
          </EuiButton>
        }
      />
    );
  }

  const ranked = risk.data?.users.find((u) => u.user === user) ?? null;
  const threshold = risk.data?.threshold ?? settings?.zscoreThreshold ?? 8;
  const tsThreshold = settings?.tsThreshold ?? 8;
  const sourceConfig = settings?.sources.find((s) => s.id === (fingerprint.data?.source ?? source)) ?? null;
  const sample = timeline.data?.events[0]?.doc;
  const index = sourceConfig ? scoredIndexOf(sourceConfig, sample) : null;

  return (
    <>
      <EuiButtonEmpty iconType="arrowLeft" flush="left" onClick={() => navigate({ page: 'overview' })} data-test-subj="dfpBackToOverview">
        All users
      </EuiButtonEmpty>
      <EuiFlexGroup alignItems="center" wrap>
        <EuiFlexItem grow>
          <EuiTitle size="m">
            <h2 data-test-subj="dfpUserTitle">{ranked?.label || user}</h2>
          </EuiTitle>
          {ranked?.label && ranked.label !== user && (
            <EuiText size="s" color="subdued">
              {user}
            </EuiText>
          )}
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          {index && <DiscoverLink asButton label="Open the user's events in Discover" target={{ index, user, from: range.from, to: range.to }} />}
        </EuiFlexItem>
      </EuiFlexGroup>
      {ranked?.why && ranked.why.features.length > 0 && (
        <>
          <EuiSpacer size="s" />
          <EuiCallOut size="s" title="Why this user" iconType="help" color={ranked.userFlagged ? 'danger' : 'primary'} data-test-subj="dfpUserWhy">
            <WhySummary why={ranked.why} withTime size="s" />
          </EuiCallOut>
        </>
      )}
      <EuiSpacer size="m" />
      {risk.error ? (
        <ErrorState what="the user's risk" error={risk.error} onRetry={risk.reload} />
      ) : (
        <EuiFlexGroup wrap gutterSize="m">
          {[
            {
              key: 'userRisk',
              title: ranked?.risk ? riskText(ranked.risk) : '—',
              description: `User risk, 0–100 (dfp.user_risk ${ranked ? formatZ(ranked.userRisk, risk.data?.userRiskThreshold) : '—'}${ranked?.userFlagged ? `: flagged, ≥ ${risk.data?.userRiskThreshold}` : ''})`,
              color: ranked?.userFlagged ? 'danger' : 'default',
              extra: ranked && risk.data ? <RiskLevelBadges user={ranked} userRiskThreshold={risk.data.userRiskThreshold} /> : null,
            },
            { key: 'maxZ', title: ranked ? formatZ(ranked.maxZscore, threshold) : '—', description: 'Highest z-score', color: ranked && ranked.maxZscore >= threshold ? 'danger' : 'default' },
            {
              key: 'flagged',
              title: formatCount(ranked?.flagged ?? 0),
              description: `Flagged events (z ≥ ${threshold})`,
              color: ranked && ranked.flagged > 0 ? 'danger' : 'default',
              // Beside the flags: how many more an analyst's benign decisions keep from being flagged.
              extra: ranked?.suppressed ? (
                <EuiText size="xs" color="subdued" data-test-subj="dfpUserSuppressed">
                  <p>{`${formatCount(ranked.suppressed)} suppressed: the same pattern as an event marked benign`}</p>
                </EuiText>
              ) : null,
            },
            { key: 'events', title: formatCount(ranked?.events ?? 0), description: 'Events in the range', color: 'default' },
            { key: 'lastSeen', title: ranked ? formatTime(ranked.lastSeen) : '—', description: 'Last seen', color: 'default' },
          ].map((s) => (
            <EuiFlexItem key={s.key} style={{ minWidth: 180 }}>
              <EuiPanel hasBorder paddingSize="m">
                <EuiStat data-test-subj={`dfpUserStat-${s.key}`} title={s.title} description={s.description} titleColor={s.color} titleSize="s" isLoading={risk.loading && !risk.data} />
                {'extra' in s && s.extra}
              </EuiPanel>
            </EuiFlexItem>
          ))}
        </EuiFlexGroup>
      )}
      <EuiSpacer size="m" />
      {triage.source && <TriagePanel user={user} source={triage.source} triage={triage} />}
      <EuiSpacer size="m" />
      {fingerprint.error ? (
        <ErrorState what="the fingerprint" error={fingerprint.error} onRetry={fingerprint.reload} />
      ) : !fingerprint.data ? (
        <LoadingState what="the fingerprint" />
      ) : (
        <ModelPanel fingerprint={fingerprint.data} />
      )}
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Z-score timeline</h3>
        </EuiTitle>
        <EuiText size="xs" color="subdued">
          <p>dfp.zscore of each event: how unusual it is for this user, in standard deviations of their own training scores. Dashed line: the threshold in force ({threshold}).</p>
        </EuiText>
        {timeline.error ? (
          <ErrorState what="the user's events" error={timeline.error} onRetry={timeline.reload} />
        ) : !timeline.data ? (
          <LoadingState what="the user's events" />
        ) : timeline.data.events.length === 0 ? (
          <EuiText size="s" color="subdued">
            <p>No scored events of this user in the range.</p>
          </EuiText>
        ) : (
          <>
            <ZscoreTimelineChart id="zscore" label="dfp.zscore" points={zscoreTimeline(timeline.data.events, threshold)} threshold={threshold} range={range} />
            {timeline.data.total > timeline.data.events.length && (
              <EuiText size="xs" color="subdued">
                <p>
                  The first {formatCount(timeline.data.events.length)} of {formatCount(timeline.data.total)} events; narrow the range to see the rest.
                </p>
              </EuiText>
            )}
          </>
        )}
      </EuiPanel>
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Time-series anomalies</h3>
        </EuiTitle>
        <EuiText size="xs" color="subdued">
          <p>The user's activity volume against its own hourly and daily rhythm (dfp.ts_zscore); events in bins at or above {tsThreshold} get dfp.ts_anomaly.</p>
        </EuiText>
        {timeline.data && timeline.data.events.length > 0 && (
          <ZscoreTimelineChart id="ts" label="dfp.ts_zscore" points={tsTimeline(timeline.data.events, tsThreshold)} threshold={tsThreshold} range={range} />
        )}
      </EuiPanel>
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Fingerprint: normal against recent</h3>
        </EuiTitle>
        <EuiText size="xs" color="subdued">
          <p>Per feature, what the model learned from the user's history and what their events in the range show.</p>
        </EuiText>
        <EuiSpacer size="s" />
        {fingerprint.error ? null : !fingerprint.data ? <LoadingState what="the fingerprint" /> : <FingerprintGrid fingerprint={fingerprint.data} />}
      </EuiPanel>
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Anomalous events, explained</h3>
        </EuiTitle>
        <EuiSpacer size="s" />
        <AnomalousEventsTable user={user} discoverIndex={index} triage={triage} suppressed={ranked?.suppressed ?? null} />
      </EuiPanel>
    </>
  );
}
