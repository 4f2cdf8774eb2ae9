import { EuiBadge, EuiFlexGroup, EuiFlexItem, EuiPanel, EuiSpacer, EuiText, EuiTitle, EuiToolTip } from '@elastic/eui';
import { HOUR_FEATURE, categoryRows, featureShift, hourRows, numericRanges, shiftLabel, summaryLine, type FingerprintFeature } from '../logic/fingerprint';
import { formatNumber, formatShare } from '../logic/format';
import { CategoryBarsChart } from './CategoryBarsChart';
import { NumericRangeChart } from './NumericRangeChart';

/** One feature of a fingerprint: what is normal for the user against what was seen in the range. */
export function FeaturePanel({ feature }: { feature: FingerprintFeature }) {
  const shift = shiftLabel(featureShift(feature));
  const clock = feature.name === HOUR_FEATURE && feature.kind === 'categorical';
  const rows = feature.kind === 'numeric' ? [] : clock ? hourRows(feature.trained, feature.recent) : categoryRows(binaryAsCategorical(feature.trained), binaryAsCategorical(feature.recent));
  const ranges = feature.kind === 'numeric' ? numericRanges(feature.trained, feature.recent) : [];
  return (
    <EuiPanel hasBorder paddingSize="m" data-test-subj={`dfpFeature-${feature.name}`}>
      <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false} wrap>
        <EuiFlexItem grow>
          <EuiTitle size="xxs">
            <h4>{feature.name}</h4>
          </EuiTitle>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiBadge color="hollow">{feature.kind}</EuiBadge>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiBadge color={shift.color} data-test-subj="dfpFeatureShift">
            {shift.text}
          </EuiBadge>
        </EuiFlexItem>
      </EuiFlexGroup>
      {feature.group && (
        <EuiText size="xs" color="subdued">
          <EuiToolTip content="Features that move together count once in dfp.zscore: the group's largest z.">
            <span tabIndex={0}>Scored with {feature.group.filter((g) => g !== feature.name).join(', ')}</span>
          </EuiToolTip>
        </EuiText>
      )}
      <EuiSpacer size="s" />
      {feature.trained === null && feature.recent === null ? (
        <EuiText size="s" color="subdued">
          <p>No distribution: the model was trained before distributions were kept, and no events were scored in the range.</p>
        </EuiText>
      ) : feature.kind === 'numeric' ? (
        ranges.length > 0 ? <NumericRangeChart feature={feature.name} ranges={ranges} /> : <EuiText size="s" color="subdued"><p>Always absent.</p></EuiText>
      ) : rows.length > 0 ? (
        <CategoryBarsChart feature={feature.name} rows={rows} clock={clock} />
      ) : (
        <EuiText size="s" color="subdued"><p>No values.</p></EuiText>
      )}
      <EuiText size="xs">
        <p>
          <strong>Normal:</strong> {feature.trained ? summaryLine(feature.trained) : 'not kept for this model (retrain to see it)'}
          <br />
          <strong>Recent:</strong> {feature.recent ? `${summaryLine(feature.recent)} (${formatShare(1 - feature.recent.nullShare)} present)` : 'no events in the range'}
          {feature.loss && (
            <>
              <br />
              <span title="z = (this feature's loss − its training mean) / its training spread">
                Training loss {formatNumber(feature.loss.mean)} ± {formatNumber(feature.loss.std)}
              </span>
            </>
          )}
        </p>
      </EuiText>
    </EuiPanel>
  );
}

/** Binary features shown as two values, yes and no, with the categorical bars. */
function binaryAsCategorical(s: FingerprintFeature['trained']): FingerprintFeature['trained'] {
  if (!s || s.kind !== 'binary') return s;
  const present = 1 - s.nullShare;
  return {
    name: s.name,
    kind: 'categorical',
    rows: s.rows,
    nullShare: s.nullShare,
    distinct: 2,
    top: [
      { value: 'yes', share: s.trueShare * present },
      { value: 'no', share: (1 - s.trueShare) * present },
    ].filter((t) => t.share > 0),
  };
}
