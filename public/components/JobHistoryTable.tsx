import React, { useState } from 'react';
import { EuiBasicTable, EuiButtonIcon, EuiCodeBlock, EuiHealth, EuiScreenReaderOnly, EuiText, type EuiBasicTableColumn } from '@elastic/eui';
import type { JobItem } from '../logic/table_items';
import { formatTime } from '../logic/format';

/** Finished runs: outcome, when, how long, counts, and their errors on demand. */
export function JobHistoryTable({ jobs, loading }: { jobs: JobItem[]; loading: boolean }) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const rowMap: Record<string, React.ReactNode> = {};
  for (const j of jobs) {
    if (!open[j.id]) continue;
    rowMap[j.id] = (
      <div style={{ width: '100%' }}>
        {j.message && (
          <EuiText size="s">
            <p>{j.message}</p>
          </EuiText>
        )}
        {j.errors.length > 0 ? (
          <EuiCodeBlock language="text" fontSize="s" paddingSize="s" isCopyable overflowHeight={240}>
            {j.errors.join('\n') + (j.errorsDropped ? `\n… and ${j.errorsDropped} more` : '')}
          </EuiCodeBlock>
        ) : (
          <EuiText size="s" color="subdued">
            <p>No errors.</p>
          </EuiText>
        )}
        {j.params && (
          <EuiText size="xs" color="subdued">
            <p>Parameters: {JSON.stringify(j.params)}</p>
          </EuiText>
        )}
      </div>
    );
  }
  const columns: EuiBasicTableColumn<JobItem>[] = [
    {
      width: '40px',
      isExpander: true,
      name: (
        <EuiScreenReaderOnly>
          <span>Show details</span>
        </EuiScreenReaderOnly>
      ),
      render: (j: JobItem) => (
        <EuiButtonIcon
          onClick={() => setOpen((o) => ({ ...o, [j.id]: !o[j.id] }))}
          aria-label={open[j.id] ? 'Hide details' : 'Show details and errors'}
          aria-expanded={!!open[j.id]}
          iconType={open[j.id] ? 'arrowDown' : 'arrowRight'}
        />
      ),
    },
    { field: 'status', name: 'Outcome', render: (s: string, j: JobItem) => <EuiHealth color={j.health}>{s}</EuiHealth> },
    { field: 'type', name: 'Job' },
    { field: 'source', name: 'Source' },
    { field: 'startedAt', name: 'Started', render: (t: string) => formatTime(t) },
    { field: 'durationText', name: 'Took' },
    { field: 'countsText', name: 'Counts', render: (c: string) => c || '—' },
    { name: 'Errors', render: (j: JobItem) => (j.errors.length ? `${j.errors.length + (j.errorsDropped ?? 0)}` : '0') },
  ];
  return (
    <EuiBasicTable<JobItem>
      data-test-subj="dfpJobHistory"
      tableCaption="Finished job runs, newest first"
      items={jobs}
      itemId="id"
      itemIdToExpandedRowMap={rowMap}
      columns={columns}
      loading={loading}
      noItemsMessage="No finished runs yet"
      rowProps={(j: JobItem) => ({ 'data-test-subj': 'dfpJobRow', 'data-status': j.status })}
    />
  );
}
