import { EuiFormRow, EuiSelect } from '@elastic/eui';
import { TRIAGE_STATUSES, type TriageStatus } from '../../common/triage';

/** Each triage decision in words, as the app shows it. */
export const STATUS_TEXT: Record<TriageStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  benign: 'Benign',
  compromised: 'Compromised',
};

const OPTIONS = TRIAGE_STATUSES.map((s) => ({ value: s, text: STATUS_TEXT[s] }));

/** The choice of a triage decision (open, investigating, benign, compromised) in its form row: the Triage panel's about a user, an event row's about the event. */
export function TriageDecisionSelect({ label, testSubj, value, onChange }: { label: string; testSubj: string; value: TriageStatus; onChange(status: TriageStatus): void }) {
  return (
    <EuiFormRow label={label}>
      <EuiSelect data-test-subj={testSubj} options={OPTIONS} value={value} onChange={(e) => onChange(e.target.value as TriageStatus)} />
    </EuiFormRow>
  );
}
