import { EuiText } from '@elastic/eui';
import type { WhyEvidence } from '../../common/why';
import { whyContext, whySentence, zoneName } from '../../common/why';
import { formatTime } from '../logic/format';

interface Props {
  why: WhyEvidence | undefined;
  /** The zone times are shown in (default: the browser's, as every table of the app). */
  timeZone?: string;
  /** Also say which event: "worst event 2026-10-11 14:46:08". */
  withTime?: boolean;
  size?: 'xs' | 's';
}

/** Why the user ranks where they do, in their own terms, and the worst event's raw address, network and user agent. */
export function WhySummary({ why, timeZone, withTime, size = 'xs' }: Props) {
  if (!why || why.features.length === 0) return null;
  const context = whyContext(why);
  return (
    <EuiText size={size} data-test-subj="dfpWhy">
      <p style={{ margin: 0 }}>
        {withTime && <strong>Worst event, {formatTime(why.time, timeZone)} {zoneName(timeZone)}: </strong>}
        <span data-test-subj="dfpWhySentence">{whySentence(why, { timeZone })}</span>
      </p>
      {context && (
        <p style={{ margin: 0, overflowWrap: 'anywhere' }}>
          <EuiText size="xs" color="subdued" component="span" data-test-subj="dfpWhyContext">
            {context}
          </EuiText>
        </p>
      )}
    </EuiText>
  );
}
