import React, { useEffect, useState } from 'react';
import { EuiBadge, EuiBasicTable, EuiButtonIcon, EuiFlexGroup, EuiFlexItem, EuiScreenReaderOnly, EuiSwitch, EuiSpacer, type Criteria, type EuiBasicTableColumn } from '@elastic/eui';
import type { ScoredEventDoc } from '../../common/api';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import type { UserTriage } from '../hooks/use_user_triage';
import { topFeatureSummary } from '../logic/explanation';
import { formatCount, formatTime, formatZ } from '../logic/format';
import { splitDocRef } from '../logic/discover';
import { tablePagination } from '../logic/table_items';
import { DiscoverLink } from './DiscoverLink';
import { EventExplanation } from './EventExplanation';
import { EventTriage, type EventTarget } from './EventTriage';

interface Props {
  user: string;
  /** The index Discover reads the user's scored events from (null: no Discover link). */
  discoverIndex: string | null;
  /** The user's triage decisions, shared with the page's Triage panel (null source: no Triage column). */
  triage: UserTriage;
  /** Events at or above the threshold that benign decisions suppress: left out of "only flagged" (null: not known). */
  suppressed?: number | null;
}

/** The event as triage decisions name it: the source event (scores documents and files name it), else the document itself (scored in place). */
function targetOf(e: ScoredEventDoc): EventTarget | null {
  return e.source ?? splitDocRef(e.doc);
}

/** The time zone the browser shows times in (formatTime's), named in the column header. */
const TIME_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

type SortField = 'time' | 'zscore';

/**
 * The user's anomalous events (or all their events), worst first, paged by the API; each expands
 * into its explanation. The worst one opens expanded, so the "why" is on screen at once.
 */
export function AnomalousEventsTable({ user, discoverIndex, triage, suppressed }: Props) {
  const { api, source, range, discoverUrl } = useApp();
  const triageOf = triage.source;
  const stateOf = (e: ScoredEventDoc) => {
    const target = targetOf(e);
    return target ? triage.eventState(target) : undefined;
  };
  // No Discover (the standalone page, or a user without it): no column of links to nowhere.
  const hasDiscover = discoverUrl('') !== null;
  const [onlyFlagged, setOnlyFlagged] = useState(true);
  const [page, setPage] = useState({ index: 0, size: 10 });
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'zscore', direction: 'desc' });
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const events = useRequest(
    () => api.userEvents(user, { source, from: range.from, to: range.to, page: page.index + 1, perPage: page.size, sort: sort.field, order: sort.direction, onlyFlagged }),
    [api, user, source, range.from, range.to, page.index, page.size, sort.field, sort.direction, onlyFlagged],
  );
  const res = events.data;

  // Open the first event of a fresh answer when nothing is open yet.
  useEffect(() => {
    if (res && res.events.length > 0 && Object.keys(expanded).length === 0) setExpanded({ [res.events[0].doc]: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [res]);

  const toggle = (doc: string) => setExpanded((e) => ({ ...e, [doc]: !e[doc] }));
  const rowMap: Record<string, React.ReactNode> = {};
  for (const e of res?.events ?? []) if (expanded[e.doc]) rowMap[e.doc] = <EventExplanation event={e} threshold={res?.threshold} />;

  const columns: EuiBasicTableColumn<ScoredEventDoc>[] = [
    {
      align: 'left',
      width: '40px',
      isExpander: true,
      name: (
        <EuiScreenReaderOnly>
          <span>Show the explanation</span>
        </EuiScreenReaderOnly>
      ),
      render: (e: ScoredEventDoc) => (
        <EuiButtonIcon
          data-test-subj="dfpExpandEvent"
          onClick={() => toggle(e.doc)}
          aria-label={expanded[e.doc] ? 'Hide the explanation' : 'Show the explanation'}
          aria-expanded={!!expanded[e.doc]}
          iconType={expanded[e.doc] ? 'arrowDown' : 'arrowRight'}
        />
      ),
    },
    { field: 'time', name: `Time (${TIME_ZONE})`, sortable: true, render: (t: string) => formatTime(t) },
    {
      field: 'dfp.zscore',
      name: 'z-score',
      sortable: true,
      // A suppressed event keeps its score but is not flagged: not drawn as one.
      render: (z: number | undefined, e: ScoredEventDoc) => (
        <EuiBadge color={res && z !== undefined && z >= res.threshold && !e.dfp.suppressed ? 'danger' : 'hollow'}>{formatZ(z, res?.threshold)}</EuiBadge>
      ),
    },
    { name: 'Why: value seen (expected)', render: (e: ScoredEventDoc) => topFeatureSummary(e, 40) || '—' },
    {
      name: 'Time series',
      render: (e: ScoredEventDoc) => (e.dfp.ts_anomaly ? <EuiBadge color="warning">z {formatZ(e.dfp.ts_zscore)}</EuiBadge> : formatZ(e.dfp.ts_zscore)),
    },
    ...(triageOf
      ? [
          {
            name: 'Triage',
            width: '150px',
            render: (e: ScoredEventDoc) => (
              <EventTriage source={triageOf} user={user} target={targetOf(e)} state={stateOf(e)} suppressed={e.dfp.suppressed} onRecorded={triage.reload} />
            ),
          } as EuiBasicTableColumn<ScoredEventDoc>,
        ]
      : []),
    ...(hasDiscover
      ? [
          {
            name: 'Discover',
            render: (e: ScoredEventDoc) => {
              const ref = splitDocRef(e.doc);
              const index = ref?.index ?? discoverIndex;
              return index ? <DiscoverLink target={{ index, user, from: range.from, to: range.to, docId: ref?.id }} label="View" /> : '—';
            },
          } as EuiBasicTableColumn<ScoredEventDoc>,
        ]
      : []),
  ];

  const onChange = ({ page: p, sort: s }: Criteria<ScoredEventDoc>) => {
    if (p) setPage({ index: p.index, size: p.size });
    if (s) setSort({ field: String(s.field) === 'time' ? 'time' : 'zscore', direction: s.direction });
  };

  return (
    <>
      <EuiFlexGroup justifyContent="flexEnd" responsive={false}>
        <EuiFlexItem grow={false}>
          <EuiSwitch
            data-test-subj="dfpOnlyFlagged"
            label={`Only flagged events (z ≥ threshold${suppressed ? `; ${formatCount(suppressed)} marked benign left out` : ''})`}
            checked={onlyFlagged}
            onChange={(e) => {
              setOnlyFlagged(e.target.checked);
              setPage((p) => ({ ...p, index: 0 }));
              setExpanded({});
            }}
          />
        </EuiFlexItem>
      </EuiFlexGroup>
      <EuiSpacer size="s" />
      <EuiBasicTable<ScoredEventDoc>
        data-test-subj="dfpEventsTable"
        tableCaption={onlyFlagged ? 'Anomalous events of the user' : 'Events of the user'}
        items={res?.events ?? []}
        itemId="doc"
        itemIdToExpandedRowMap={rowMap}
        columns={columns}
        loading={events.loading}
        error={events.error?.message}
        noItemsMessage={events.loading ? 'Loading events…' : onlyFlagged ? `No flagged event (z ≥ ${res?.threshold ?? '…'}, not marked benign) in the range` : 'No scored events in the range'}
        pagination={res ? tablePagination(res, [10, 25, 50]) : undefined}
        sorting={{ sort: { field: (sort.field === 'time' ? 'time' : 'dfp.zscore') as keyof ScoredEventDoc, direction: sort.direction } }}
        onChange={onChange}
        rowProps={(e: ScoredEventDoc) => ({ 'data-test-subj': 'dfpEventRow', 'data-doc': e.doc })}
      />
    </>
  );
}
