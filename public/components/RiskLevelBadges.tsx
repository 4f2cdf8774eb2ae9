import { EuiBadge, EuiBadgeGroup, EuiToolTip } from '@elastic/eui';
import type { RankedUser } from '../../common/api';
import { NEAR_THRESHOLD_SHARE } from '../../common/risk_level';
import { formatZ } from '../logic/format';
import { BAND_COLOUR, riskText, trendText } from '../logic/priorities';

interface Props {
  user: Pick<RankedUser, 'userRisk' | 'userFlagged' | 'risk' | 'trend' | 'previousUserRisk'>;
  userRiskThreshold: number;
}

/** A user's priority at a glance: 0–100 with Elastic's level, "flagged" or "near the threshold", and the trend against the previous period. */
export function RiskLevelBadges({ user, userRiskThreshold }: Props) {
  const raw = `dfp.user_risk ${formatZ(user.userRisk, userRiskThreshold)}: the user's highest in the range (their events' evidence over the 24 h before each, halving every 6 h); flagged at ${userRiskThreshold} or more, which is 90 on this scale`;
  return (
    <EuiBadgeGroup gutterSize="xs">
      <EuiToolTip content={raw}>
        <EuiBadge color={user.risk ? BAND_COLOUR[user.risk.band] : 'hollow'} tabIndex={0} data-test-subj="dfpUserRisk" data-band={user.risk?.band ?? 'none'}>
          {user.risk ? riskText(user.risk) : '—'}
        </EuiBadge>
      </EuiToolTip>
      {user.userFlagged && (
        <EuiBadge color="danger" data-test-subj="dfpUserRiskFlagged">
          flagged
        </EuiBadge>
      )}
      {user.risk?.near && (
        <EuiToolTip content={`At least ${Math.round(NEAR_THRESHOLD_SHARE * 100)} % of the user-risk threshold (${userRiskThreshold}), not yet flagged`}>
          <EuiBadge color="warning" tabIndex={0} data-test-subj="dfpUserRiskNear">
            near the threshold
          </EuiBadge>
        </EuiToolTip>
      )}
      {user.trend && (
        <EuiToolTip content="Against the previous period of the same length">
          <EuiBadge color="hollow" tabIndex={0} data-test-subj="dfpUserRiskTrend" data-trend={user.trend}>
            {trendText(user, userRiskThreshold)}
          </EuiBadge>
        </EuiToolTip>
      )}
    </EuiBadgeGroup>
  );
}
