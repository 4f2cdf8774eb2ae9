import { useState } from 'react';
import { EuiBadge, EuiButton, EuiButtonEmpty, EuiFieldNumber, EuiFlexGroup, EuiFlexItem, EuiFormRow, EuiPopover, EuiTextArea, EuiToolTip } from '@elastic/eui';
import { DEFAULTS, type Suppressed } from '../../common/fields';
import { MAX_SUPPRESS_DAYS, type TriageRecord, type TriageStatus } from '../../common/triage';
import { useApp } from '../app_context';
import { formatTime } from '../logic/format';
import type { EventTarget } from '../hooks/use_user_triage';
import { TriageBadge } from './TriagePanel';
import { STATUS_TEXT, TriageDecisionSelect } from './TriageDecisionSelect';

export type { EventTarget };

/**
 * One event's triage on its row of the events table: its state (the newest decision about it,
 * with who, when and the note on hover), whether a benign decision suppresses its flag, and, for
 * analysts with the Triage privilege, a form to record a decision. Marked benign, the event's
 * pattern (its top features' values, which the server reads from its scores) is not flagged for
 * the user for the days given (README, "Triage").
 */
export function EventTriage({ source, user, target, state, suppressed, onRecorded }: {
  source: string;
  user: string;
  target: EventTarget | null;
  state: TriageRecord | undefined;
  suppressed: Suppressed | undefined;
  onRecorded(): void;
}) {
  const { api, canTriage, toasts } = useApp();
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<TriageStatus>('benign');
  const [note, setNote] = useState('');
  const [days, setDays] = useState('');
  const [saving, setSaving] = useState(false);
  const daysValue = days.trim() === '' ? undefined : Number(days);
  const daysValid = daysValue === undefined || (Number.isFinite(daysValue) && daysValue > 0 && daysValue <= MAX_SUPPRESS_DAYS);

  const record = async () => {
    if (!target) return;
    setSaving(true);
    try {
      await api.addTriage(source, {
        user,
        event: target,
        status,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(status === 'benign' && daysValue !== undefined ? { suppressDays: daysValue } : {}),
      });
      toasts.success(`${STATUS_TEXT[status]}: recorded for the event`);
      setOpen(false);
      setNote('');
      onRecorded();
    } catch (e) {
      toasts.danger('The decision was not recorded', (e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const shown = state ? (
    <EuiToolTip content={`${STATUS_TEXT[state.status]} by ${state.by}, ${formatTime(state.at)}${state.note ? `: ${state.note}` : ''}${state.until ? `; its pattern not flagged until ${formatTime(state.until)}` : ''}`}>
      <span data-test-subj="dfpEventTriageState" data-status={state.status}>
        <TriageBadge status={state.status} />
      </span>
    </EuiToolTip>
  ) : null;
  const quieted = suppressed ? (
    <EuiToolTip content={`The same pattern as an event ${suppressed.by} marked benign (${formatTime(suppressed.at)}): not flagged until ${formatTime(suppressed.until)}`}>
      <EuiBadge color="hollow" data-test-subj="dfpEventSuppressed">
        Suppressed
      </EuiBadge>
    </EuiToolTip>
  ) : null;

  return (
    <EuiFlexGroup gutterSize="xs" alignItems="center" responsive={false} wrap>
      {shown && <EuiFlexItem grow={false}>{shown}</EuiFlexItem>}
      {quieted && <EuiFlexItem grow={false}>{quieted}</EuiFlexItem>}
      {!shown && !quieted && !canTriage && <EuiFlexItem grow={false}>—</EuiFlexItem>}
      {canTriage && target && (
        <EuiFlexItem grow={false}>
          <EuiPopover
            isOpen={open}
            closePopover={() => setOpen(false)}
            anchorPosition="leftCenter"
            button={
              <EuiButtonEmpty size="xs" iconType="flag" data-test-subj="dfpEventTriageOpen" onClick={() => setOpen((o) => !o)} aria-label="Triage this event">
                Triage
              </EuiButtonEmpty>
            }
          >
            <div data-test-subj="dfpEventTriageForm" style={{ width: 300 }}>
              <TriageDecisionSelect label="Decision about this event" testSubj="dfpEventTriageSelect" value={status} onChange={setStatus} />
              {status === 'benign' && (
                <EuiFormRow
                  label="Do not flag the same pattern for (days)"
                  helpText={`This user's events with the same values of its top features; empty: the server's setting (${DEFAULTS.benignSuppressionDays} by default)`}
                  isInvalid={!daysValid}
                  error={daysValid ? undefined : `a number of days above 0, at most ${MAX_SUPPRESS_DAYS}`}
                >
                  <EuiFieldNumber data-test-subj="dfpEventTriageDays" min={0} max={MAX_SUPPRESS_DAYS} value={days} isInvalid={!daysValid} onChange={(e) => setDays(e.target.value)} />
                </EuiFormRow>
              )}
              <EuiFormRow label="Note">
                <EuiTextArea data-test-subj="dfpEventTriageNote" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
              </EuiFormRow>
              <EuiButton size="s" fill data-test-subj="dfpEventTriageRecord" onClick={record} isLoading={saving} isDisabled={!daysValid}>
                Record decision
              </EuiButton>
            </div>
          </EuiPopover>
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
}
