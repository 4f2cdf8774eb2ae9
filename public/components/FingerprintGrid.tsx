import { EuiFlexGrid, EuiFlexItem, EuiText } from '@elastic/eui';
import type { FingerprintResponse } from '../../common/api';
import { sortFeaturesByShift } from '../logic/fingerprint';
import { FeaturePanel } from './FeaturePanel';

/** The fingerprint feature by feature, the ones that moved most since training first. */
export function FingerprintGrid({ fingerprint }: { fingerprint: FingerprintResponse }) {
  const features = sortFeaturesByShift(fingerprint.features);
  const noSummaries = fingerprint.model !== null && fingerprint.features.every((f) => f.trained === null);
  return (
    <>
      {noSummaries && (
        <EuiText size="s" color="subdued">
          <p>This model was trained before training distributions were kept: retraining it shows what is normal for the user next to what was seen.</p>
        </EuiText>
      )}
      <EuiFlexGrid columns={3} gutterSize="m" data-test-subj="dfpFingerprint">
        {features.map((f) => (
          <EuiFlexItem key={f.name}>
            <FeaturePanel feature={f} />
          </EuiFlexItem>
        ))}
      </EuiFlexGrid>
    </>
  );
}
