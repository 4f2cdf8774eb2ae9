import { useState } from 'react';
import {
  EuiBadge,
  EuiBasicTable,
  EuiButton,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormRow,
  EuiPanel,
  EuiSpacer,
  EuiText,
  EuiTextArea,
  EuiTitle,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { TriageRecord, TriageStatus } from '../../common/triage';
import { useApp } from '../app_context';
import type { UserTriage } from '../hooks/use_user_triage';
import { formatTime } from '../logic/format';
import { ErrorState } from './ErrorState';
import { STATUS_TEXT, TriageDecisionSelect } from './TriageDecisionSelect';

const STATUS_COLOR: Record<TriageStatus, string> = { open: 'hollow', investigating: 'warning', benign: 'success', compromised: 'danger' };

export function TriageBadge({ status }: { status: TriageStatus }) {
  return (
    <EuiBadge color={STATUS_COLOR[status]} data-test-subj="dfpTriageStatus">
      {STATUS_TEXT[status]}
    </EuiBadge>
  );
}

const columns: EuiBasicTableColumn<TriageRecord>[] = [
  { field: 'at', name: 'When', render: (at: string) => formatTime(at), width: '170px' },
  { field: 'by', name: 'Who', width: '120px' },
  { field: 'status', name: 'Decision', render: (s: TriageStatus) => <TriageBadge status={s} />, width: '130px' },
  { name: 'About', render: (r: TriageRecord) => (r.target.event ? `event ${r.target.event.id}` : 'the user'), width: '160px' },
  { field: 'assignee', name: 'Assignee', render: (a?: string) => a ?? '—', width: '120px' },
  {
    name: 'Note',
    render: (r: TriageRecord) =>
      [r.note, r.since ? `compromised since ${formatTime(r.since)}` : undefined, r.until ? `its pattern not flagged until ${formatTime(r.until)}` : undefined].filter(Boolean).join(' · ') || '—',
  },
];

/**
 * The user's triage: their state (the newest decision about the user), the decisions so far about
 * them and their events (an audit trail: who, when, what), and, for analysts with the Triage
 * privilege, a form to record the next one. A user marked compromised is not learned by the next
 * training from `since` on; events marked benign are (README, "Triage"). `triage`: the page's one
 * loaded state (useUserTriage), which the events table's decisions reload too.
 */
export function TriagePanel({ user, source, triage }: { user: string; source: string; triage: UserTriage }) {
  const { api, canTriage, toasts } = useApp();
  const records = triage.data?.records ?? [];
  const state = triage.userState;
  const [status, setStatus] = useState<TriageStatus>('investigating');
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  const [since, setSince] = useState('');
  const [saving, setSaving] = useState(false);
  const sinceValid = since === '' || Number.isFinite(Date.parse(since));

  const record = async () => {
    setSaving(true);
    try {
      const decision = {
        user,
        status,
        ...(assignee.trim() ? { assignee: assignee.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(status === 'compromised' && since ? { since: new Date(Date.parse(since)).toISOString() } : {}),
      };
      await api.addTriage(source, decision);
      toasts.success(`${STATUS_TEXT[status]}: recorded for ${user}`);
      setNote('');
      triage.reload();
    } catch (e) {
      toasts.danger('The decision was not recorded', (e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <EuiPanel hasBorder data-test-subj="dfpTriagePanel">
      <EuiFlexGroup alignItems="center" gutterSize="s" wrap>
        <EuiFlexItem grow={false}>
          <EuiTitle size="xs">
            <h3>Triage</h3>
          </EuiTitle>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>{state ? <TriageBadge status={state.status} /> : <TriageBadge status="open" />}</EuiFlexItem>
        <EuiFlexItem>
          <EuiText size="xs" color="subdued" data-test-subj="dfpTriageState">
            <p>
              {state
                ? `${STATUS_TEXT[state.status]} since ${formatTime(state.at)}, by ${state.by}${state.assignee ? `; assigned to ${state.assignee}` : ''}${state.note ? `: ${state.note}` : ''}`
                : 'No decision about this user yet.'}
            </p>
          </EuiText>
        </EuiFlexItem>
      </EuiFlexGroup>
      {triage.error && <ErrorState what="the triage decisions" error={triage.error} onRetry={triage.reload} />}
      {canTriage && (
        <>
          <EuiSpacer size="s" />
          <EuiFlexGroup gutterSize="s" wrap alignItems="flexEnd">
            <EuiFlexItem grow={false} style={{ minWidth: 160 }}>
              <TriageDecisionSelect label="Decision" testSubj="dfpTriageSelect" value={status} onChange={setStatus} />
            </EuiFlexItem>
            <EuiFlexItem grow={false} style={{ minWidth: 160 }}>
              <EuiFormRow label="Assignee">
                <EuiFieldText data-test-subj="dfpTriageAssignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} />
              </EuiFormRow>
            </EuiFlexItem>
            {status === 'compromised' && (
              <EuiFlexItem grow={false} style={{ minWidth: 200 }}>
                <EuiFormRow label="Compromised since" helpText="Not learned from then on; empty: a week before now" isInvalid={!sinceValid} error={sinceValid ? undefined : 'a date and time, e.g. 2026-12-01T08:00Z'}>
                  <EuiFieldText data-test-subj="dfpTriageSince" placeholder="2026-12-01T08:00Z" value={since} isInvalid={!sinceValid} onChange={(e) => setSince(e.target.value)} />
                </EuiFormRow>
              </EuiFlexItem>
            )}
            <EuiFlexItem style={{ minWidth: 240 }}>
              <EuiFormRow label="Note" fullWidth>
                <EuiTextArea data-test-subj="dfpTriageNote" rows={1} fullWidth value={note} onChange={(e) => setNote(e.target.value)} />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton data-test-subj="dfpTriageRecord" onClick={record} isLoading={saving} isDisabled={!sinceValid}>
                Record decision
              </EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
        </>
      )}
      {records.length > 0 && (
        <>
          <EuiSpacer size="s" />
          <EuiBasicTable data-test-subj="dfpTriageHistory" tableCaption="Triage decisions about this user, newest first" items={[...records].reverse()} columns={columns} />
        </>
      )}
    </EuiPanel>
  );
}
