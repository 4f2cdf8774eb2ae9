import { EuiBadge, EuiDescriptionList, EuiPanel, EuiText, EuiTitle, EuiSpacer } from '@elastic/eui';
import type { FingerprintResponse } from '../../common/api';
import { formatCount, formatNumber, formatTime } from '../logic/format';

/** Which model scores the user: their own or the generic one, which version, trained when, on what. */
export function ModelPanel({ fingerprint }: { fingerprint: FingerprintResponse }) {
  const m = fingerprint.model;
  return (
    <EuiPanel hasBorder data-test-subj="dfpModelPanel">
      <EuiTitle size="xs">
        <h3>
          Model{' '}
          {m && (
            <EuiBadge color={m.own ? 'primary' : 'warning'} data-test-subj="dfpModelKind">
              {m.own ? 'own' : 'generic'}
            </EuiBadge>
          )}
        </h3>
      </EuiTitle>
      <EuiSpacer size="s" />
      {!m ? (
        <EuiText size="s" color="subdued">
          <p>No model scores this user yet: neither a model of their own nor the generic model of profile {fingerprint.profile} has been trained.</p>
        </EuiText>
      ) : (
        <>
          {!m.own && (
            <EuiText size="s" color="subdued">
              <p>Too little history for a model of their own: the generic model of {fingerprint.profile}, trained on everyone, scores them.</p>
            </EuiText>
          )}
          <EuiDescriptionList
            compressed
            type="column"
            listItems={[
              { title: 'Version', description: `${m.version}${fingerprint.versions.length > 1 ? ` (of ${fingerprint.versions.length} stored)` : ''}` },
              { title: 'Trained', description: formatTime(m.trainedAt) },
              { title: 'Events learned from', description: formatCount(m.rows) },
              { title: 'Training window', description: `${formatTime(m.window.start)} – ${formatTime(m.window.end)}` },
              { title: 'Epochs, backend', description: `${m.epochs}, ${m.backend}` },
              { title: 'Final training loss', description: formatNumber(m.lossHistory[m.lossHistory.length - 1]) },
              ...(m.warmStartFrom ? [{ title: 'Warm-started from', description: m.warmStartFrom }] : []),
              ...(m.leftOut && m.leftOut.events > 0 ? [{ title: 'Left out of training', description: <span data-test-subj="dfpModelLeftOut">{leftOutText(m.leftOut)}</span> }] : []),
              ...(m.leftOut?.benign ? [{ title: 'Learned, marked benign', description: <span data-test-subj="dfpModelBenign">{benignText(m.leftOut.benign)}</span> }] : []),
              { title: 'Score scale', description: `median ${formatNumber(m.scoreScale.median)}, spread ${formatNumber(m.scoreScale.scale)}` },
            ]}
          />
        </>
      )}
    </EuiPanel>
  );
}

/** "12 events: 9 at or above the threshold, 3 in a flagged period; first 2026-10-11 02:14 (abc123)". */
function leftOutText(left: NonNullable<NonNullable<FingerprintResponse['model']>['leftOut']>): string {
  const reasons = Object.entries(left.byReason).map(([reason, n]) => `${formatCount(n)} ${reason}`);
  const first = left.examples[0];
  return `${formatCount(left.events)} events: ${reasons.join(', ')}${first ? `; the first ${formatTime(first.time)}${first.id ? ` (${first.id})` : ''}` : ''}`;
}

/** "learned 2 flagged events an analyst marked benign": flagged by an earlier run, learned all the same (server/engine/model/left_out.ts). */
function benignText(n: number): string {
  return `learned ${formatCount(n)} flagged ${n === 1 ? 'event' : 'events'} an analyst marked benign`;
}
