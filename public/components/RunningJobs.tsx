import { EuiButton, EuiFlexGroup, EuiFlexItem, EuiPanel, EuiProgress, EuiText } from '@elastic/eui';
import type { JobItem } from '../logic/table_items';
import { formatCount, formatTime } from '../logic/format';

/** Jobs in progress, each with its phase and a progress bar; managers can cancel them. */
export function RunningJobs({ jobs, canManage, onCancel }: { jobs: JobItem[]; canManage: boolean; onCancel(id: string): void }) {
  return (
    <EuiFlexGroup direction="column" gutterSize="s" data-test-subj="dfpRunningJobs">
      {jobs.map((j) => (
        <EuiFlexItem key={j.id}>
          <EuiPanel hasBorder paddingSize="m" data-test-subj="dfpRunningJob">
            <EuiFlexGroup alignItems="center" responsive={false}>
              <EuiFlexItem>
                <EuiText size="s">
                  <strong>
                    {j.type} · {j.source}
                  </strong>{' '}
                  — {j.progress.phase} ({formatCount(j.progress.done)}
                  {j.progress.total > 0 ? ` of ${formatCount(j.progress.total)}` : ''}), started {formatTime(j.startedAt)}, {j.durationText} so far on {j.holder}
                </EuiText>
                <EuiProgress
                  value={j.percent ?? undefined}
                  max={100}
                  size="m"
                  color="primary"
                  valueText={j.percent !== null}
                  label={j.progress.phase}
                  aria-label={`${j.type} job progress`}
                />
              </EuiFlexItem>
              {canManage && (
                <EuiFlexItem grow={false}>
                  <EuiButton size="s" color="danger" onClick={() => onCancel(j.id)} data-test-subj="dfpCancelJob">
                    Cancel
                  </EuiButton>
                </EuiFlexItem>
              )}
            </EuiFlexGroup>
          </EuiPanel>
        </EuiFlexItem>
      ))}
    </EuiFlexGroup>
  );
}
