import React, { useState } from 'react';
import { EuiBadge, EuiBadgeGroup, EuiBasicTable, EuiFieldSearch, EuiLink, EuiSpacer, EuiText, EuiToolTip, type Criteria, type EuiBasicTableColumn } from '@elastic/eui';
import type { UsersResponse, UserSort } from '../../common/api';
import { useApp } from '../app_context';
import { nextUserSort, tablePagination, userRows, type UserRow } from '../logic/table_items';
import { formatCount, formatTime, formatZ } from '../logic/format';
import { DEFAULTS } from '../../common/fields';
import { zoneName } from '../../common/why';
import { RiskLevelBadges } from './RiskLevelBadges';
import { WhySummary } from './WhySummary';
import type { AppError } from '../logic/errors';
import { ZscoreSparkline } from './ZscoreSparkline';

export interface UsersTableQuery {
  page: number;
  perPage: number;
  sort: UserSort;
  order: 'asc' | 'desc';
  search: string;
}

interface Props {
  response: UsersResponse | null;
  loading: boolean;
  error: AppError | null;
  query: UsersTableQuery;
  onQueryChange(q: UsersTableQuery): void;
}

const FIELD_OF_SORT: Record<UserSort, keyof UserRow> = { user: 'display', userRisk: 'userRisk', maxZscore: 'maxZscore', flagged: 'flagged', events: 'events', lastSeen: 'lastSeen' };

/** Users ranked by risk (dfp.user_risk; flagged users badged): paged, sorted and searched by the API; each row opens the user's drilldown. */
export function UsersTable({ response, loading, error, query, onQueryChange }: Props) {
  const { navigate, hrefOf } = useApp();
  const [search, setSearch] = useState(query.search);
  const threshold = response?.threshold ?? 0;
  const userRiskThreshold = response?.userRiskThreshold;
  const items = response ? userRows(response) : [];

  const open = (user: string) => (e: React.MouseEvent) => {
    // Plain clicks stay in the app; modified clicks (new tab) follow the href.
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate({ page: 'user', user });
  };

  const columns: EuiBasicTableColumn<UserRow>[] = [
    {
      field: 'display',
      name: 'User',
      sortable: true,
      truncateText: true,
      render: (_: string, u: UserRow) => (
        <span>
          <EuiLink href={hrefOf({ page: 'user', user: u.user })} onClick={open(u.user)} data-test-subj="dfpUserLink">
            {u.display}
          </EuiLink>
          {u.label && u.label !== u.user && (
            <EuiText size="xs" color="subdued">
              {u.user}
            </EuiText>
          )}
        </span>
      ),
    },
    {
      field: 'userRisk',
      name: 'Risk (0–100)',
      sortable: true,
      dataType: 'number',
      width: '190px',
      render: (_: number | null, u: UserRow) => <RiskLevelBadges user={u} userRiskThreshold={userRiskThreshold ?? DEFAULTS.userRiskThreshold} />,
    },
    {
      field: 'maxZscore',
      name: 'Highest z-score',
      sortable: true,
      dataType: 'number',
      render: (z: number) => (
        <EuiBadge color={z >= threshold ? 'danger' : 'hollow'} data-test-subj="dfpUserMaxZ">
          {formatZ(z, threshold)}
        </EuiBadge>
      ),
    },
    {
      field: 'flagged',
      name: 'Flagged',
      sortable: true,
      dataType: 'number',
      render: (n: number, u: UserRow) =>
        u.suppressed ? (
          <EuiToolTip content={`${formatCount(u.suppressed)} more at or above the threshold, not flagged: the same pattern as an event an analyst marked benign`}>
            <span tabIndex={0} data-test-subj="dfpUserFlaggedSuppressed">
              {formatCount(n)}{' '}
              <EuiText size="xs" color="subdued" component="span">
                ({formatCount(u.suppressed)} suppressed)
              </EuiText>
            </span>
          </EuiToolTip>
        ) : (
          formatCount(n)
        ),
    },
    { field: 'events', name: 'Events', sortable: true, dataType: 'number', render: (n: number) => formatCount(n) },
    {
      field: 'sparkline',
      name: 'Z-score over the range',
      width: '160px',
      render: (s: (number | null)[], u: UserRow) => <ZscoreSparkline user={u.display} sparkline={s} threshold={threshold} />,
    },
    {
      field: 'why',
      name: 'Why (worst event)',
      width: '30%',
      render: (_: unknown, u: UserRow) =>
        u.why && u.why.features.length > 0 ? (
          <WhySummary why={u.why} />
        ) : u.topFeatures.length ? (
          <EuiBadgeGroup gutterSize="xs">
            {u.topFeatures.map((name) => (
              <EuiBadge key={name} color="hollow">
                {name}
              </EuiBadge>
            ))}
          </EuiBadgeGroup>
        ) : (
          '—'
        ),
    },
    {
      field: 'generic',
      name: 'Model',
      width: '80px',
      render: (generic: boolean) => (
        <EuiToolTip content={generic ? 'Too little history for a model of their own: scored by the generic model' : 'Scored by a model trained on their own history'}>
          <EuiBadge color={generic ? 'warning' : 'default'} tabIndex={0}>
            {generic ? 'generic' : 'own'}
          </EuiBadge>
        </EuiToolTip>
      ),
    },
    { field: 'lastSeen', name: `Last seen (${zoneName()})`, sortable: true, render: (t: string) => formatTime(t) },
  ];

  const onChange = ({ page, sort }: Criteria<UserRow>) => {
    onQueryChange({
      ...query,
      page: page ? page.index + 1 : query.page,
      perPage: page ? page.size : query.perPage,
      ...nextUserSort(query, sort ? { field: String(sort.field), direction: sort.direction } : undefined),
    });
  };

  return (
    <>
      <EuiFieldSearch
        data-test-subj="dfpUserSearch"
        placeholder="Search users (name or id)"
        aria-label="Search users"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onSearch={(value) => onQueryChange({ ...query, search: value, page: 1 })}
        incremental={false}
        isClearable
        fullWidth
      />
      <EuiSpacer size="s" />
      <EuiBasicTable<UserRow>
        data-test-subj="dfpUsersTable"
        tableCaption="Users ranked by risk in the range"
        items={items}
        itemId="user"
        columns={columns}
        loading={loading}
        error={error ? error.message : undefined}
        noItemsMessage={loading ? 'Loading users…' : query.search ? `No user matches "${query.search}" in the range` : 'No scored events in the range'}
        pagination={response ? tablePagination(response) : undefined}
        sorting={{ sort: { field: FIELD_OF_SORT[query.sort], direction: query.order } }}
        onChange={onChange}
        rowProps={(u: UserRow) => ({ 'data-test-subj': ['dfpUserRow', ...(u.isFlagged ? ['dfpUserRow-flagged'] : []), ...(u.userFlagged ? ['dfpUserRow-riskFlagged'] : [])].join(' '), 'data-user': u.user })}
      />
    </>
  );
}
