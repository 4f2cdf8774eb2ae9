import React, { useState } from 'react';
import { EuiBadge, EuiBasicTable, EuiButtonEmpty, EuiButtonIcon, EuiFieldSearch, EuiLink, EuiPanel, EuiScreenReaderOnly, EuiSpacer, EuiText, EuiTitle, type Criteria, type EuiBasicTableColumn } from '@elastic/eui';
import type { ModelsResponse } from '../../common/api';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { toAppError } from '../logic/errors';
import { tablePagination } from '../logic/table_items';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { ModelVersionsTable } from '../components/ModelVersionsTable';
import { UserModelRow } from '../components/UserModelRow';

type ModelRow = ModelsResponse['users'][number];

/** What the page calls a user: their name where their events give one, else the key. */
const nameOf = (m: ModelRow): string => m.label ?? m.user;

/** The source's models: the generic one and every user's own, with versions, rollback and retraining. */
export function ModelsPage({ refreshKey }: { refreshKey: number }) {
  const { api, source, canManage, toasts, markForbidden, navigate, hrefOf } = useApp();
  const [page, setPage] = useState({ index: 0, size: 25 });
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [tick, setTick] = useState(0);
  const models = useRequest(() => api.models({ source, page: page.index + 1, perPage: page.size, search: search || undefined }), [api, source, page.index, page.size, search, refreshKey, tick]);

  const manage = async (what: string, action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toasts.success(done);
      setTick((t) => t + 1);
    } catch (e) {
      const err = toAppError(e);
      if (err.status === 403) markForbidden();
      toasts.danger(`${what} failed`, err.message);
    }
  };

  const columns: EuiBasicTableColumn<ModelRow>[] = [
    {
      width: '40px',
      isExpander: true,
      name: (
        <EuiScreenReaderOnly>
          <span>Show versions</span>
        </EuiScreenReaderOnly>
      ),
      render: (m: ModelRow) => (
        <EuiButtonIcon
          onClick={() => setExpanded((e) => ({ ...e, [m.user]: !e[m.user] }))}
          aria-label={expanded[m.user] ? `Hide the versions of ${nameOf(m)}` : `Show the versions of ${nameOf(m)}`}
          aria-expanded={!!expanded[m.user]}
          iconType={expanded[m.user] ? 'arrowDown' : 'arrowRight'}
        />
      ),
    },
    {
      field: 'user',
      name: 'User',
      render: (user: string, m: ModelRow) => (
        <span>
          <EuiLink
            href={hrefOf({ page: 'user', user })}
            onClick={(e: React.MouseEvent) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              navigate({ page: 'user', user });
            }}
            data-test-subj="dfpModelUserLink"
          >
            {nameOf(m)}
          </EuiLink>
          {m.label && (
            <EuiText size="xs" color="subdued">
              {user}
            </EuiText>
          )}
        </span>
      ),
    },
    { field: 'active', name: 'Active version', render: (v: number) => <EuiBadge color="success">v{v}</EuiBadge> },
    { field: 'versions', name: 'Stored versions', render: (v: number[]) => v.join(', ') },
    ...(canManage
      ? [
          {
            name: 'Actions',
            render: (m: ModelRow) => (
              <EuiButtonEmpty size="xs" iconType="refresh" data-test-subj="dfpRetrain" onClick={() => manage(`Retraining ${nameOf(m)}`, () => api.retrain(source, m.user), `Retraining ${nameOf(m)}: the job is running (see Jobs)`)}>
                Retrain now
              </EuiButtonEmpty>
            ),
          } as EuiBasicTableColumn<ModelRow>,
        ]
      : []),
  ];

  const rowMap: Record<string, React.ReactNode> = {};
  for (const m of models.data?.users ?? []) if (expanded[m.user]) rowMap[m.user] = <UserModelRow user={m.user} name={nameOf(m)} onChanged={() => setTick((t) => t + 1)} />;

  if (models.error) return <ErrorState what="the models" error={models.error} onRetry={models.reload} />;
  if (!models.data) return <LoadingState what="the models" />;
  const data = models.data;
  return (
    <>
      <EuiPanel hasBorder data-test-subj="dfpGenericModel">
        <EuiTitle size="xs">
          <h3>Generic model ({data.profile})</h3>
        </EuiTitle>
        <EuiText size="xs" color="subdued">
          <p>Trained on every user of the source; scores users with too little history for a model of their own, and warm-starts the models of users with some.</p>
        </EuiText>
        <EuiSpacer size="s" />
        {data.generic.length === 0 ? (
          <EuiText size="s" color="subdued">
            <p>Not trained yet: the training schedule{canManage ? ', or a train job from the Jobs page,' : ''} makes it.</p>
          </EuiText>
        ) : (
          <ModelVersionsTable user={null} versions={data.generic} canManage={canManage} onRollback={(v) => manage('Rollback', () => api.rollback(source, null, v), `The generic model is at version ${v}`)} />
        )}
      </EuiPanel>
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Users with a model of their own ({data.total})</h3>
        </EuiTitle>
        <EuiSpacer size="s" />
        <EuiFieldSearch
          placeholder="Search users (name or id)"
          aria-label="Search users with models"
          data-test-subj="dfpModelSearch"
          onSearch={(v) => {
            setSearch(v);
            setPage((p) => ({ ...p, index: 0 }));
          }}
          isClearable
          fullWidth
        />
        <EuiSpacer size="s" />
        <EuiBasicTable<ModelRow>
          data-test-subj="dfpModelsTable"
          tableCaption="Users with a model of their own"
          items={data.users}
          itemId="user"
          itemIdToExpandedRowMap={rowMap}
          columns={columns}
          loading={models.loading}
          noItemsMessage={search ? `No user with a model matches "${search}"` : 'No user has a model of their own yet'}
          pagination={tablePagination(data, [10, 25, 50, 100])}
          onChange={({ page: p }: Criteria<ModelRow>) => p && setPage({ index: p.index, size: p.size })}
          rowProps={(m: ModelRow) => ({ 'data-test-subj': 'dfpModelRow', 'data-user': m.user })}
        />
      </EuiPanel>
    </>
  );
}
