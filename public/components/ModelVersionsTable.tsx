import { useState } from 'react';
import { EuiBadge, EuiBasicTable, EuiButtonEmpty, EuiConfirmModal, type EuiBasicTableColumn } from '@elastic/eui';
import type { ModelVersionInfo } from '../../common/models';
import { versionRows } from '../logic/table_items';
import { formatCount, formatNumber, formatTime } from '../logic/format';

type Row = ModelVersionInfo & { canRollBack: boolean };

interface Props {
  /** Whose versions (null: the generic model). */
  user: string | null;
  versions: ModelVersionInfo[];
  canManage: boolean;
  onRollback(version: number): Promise<void>;
  /** What the app calls the user (their label), where it differs from the key. */
  name?: string;
}

/** A model's stored versions, newest first; managers can make an earlier one active again. */
export function ModelVersionsTable({ user, name, versions, canManage, onRollback }: Props) {
  const [confirm, setConfirm] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const who = user === null ? 'the generic model' : (name ?? user);
  const columns: EuiBasicTableColumn<Row>[] = [
    { field: 'version', name: 'Version', render: (v: number, r: Row) => <span>{v} {r.active && <EuiBadge color="success">active</EuiBadge>}</span> },
    { field: 'trainedAt', name: 'Trained', render: (t: string) => formatTime(t) },
    { field: 'rows', name: 'Events', render: (n: number) => formatCount(n) },
    { name: 'Window', render: (r: Row) => `${formatTime(r.trainingStart)} – ${formatTime(r.trainingEnd)}` },
    { field: 'finalLoss', name: 'Final loss', render: (l: number | null) => formatNumber(l) },
    { field: 'warmStartFrom', name: 'Warm start', render: (w: string | undefined) => w ?? '—' },
    ...(canManage
      ? [
          {
            name: 'Actions',
            render: (r: Row) =>
              r.canRollBack ? (
                <EuiButtonEmpty size="xs" iconType="editorUndo" onClick={() => setConfirm(r.version)} data-test-subj="dfpRollback" aria-label={`Roll ${who} back to version ${r.version}`}>
                  Roll back to this
                </EuiButtonEmpty>
              ) : null,
          } as EuiBasicTableColumn<Row>,
        ]
      : []),
  ];
  return (
    <>
      <EuiBasicTable<Row> tableCaption={`Stored versions of ${who}`} items={versionRows(versions)} itemId="version" columns={columns} compressed noItemsMessage="No stored versions" />
      {confirm !== null && (
        <EuiConfirmModal
          title={`Roll ${who} back to version ${confirm}?`}
          onCancel={() => setConfirm(null)}
          onConfirm={async () => {
            setBusy(true);
            try {
              await onRollback(confirm);
            } finally {
              setBusy(false);
              setConfirm(null);
            }
          }}
          cancelButtonText="Cancel"
          confirmButtonText="Roll back"
          isLoading={busy}
          buttonColor="warning"
        >
          <p>Version {confirm} scores {who} from the next scoring run until the next training. Events already scored keep their scores.</p>
        </EuiConfirmModal>
      )}
    </>
  );
}
