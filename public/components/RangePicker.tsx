import { EuiSuperDatePicker } from '@elastic/eui';
import { useApp } from '../app_context';
import { COMMONLY_USED_RANGES } from '../logic/range';

/** The time range every risk question is asked over; kept in the URL by the app. */
export function RangePicker({ isLoading, onRefresh }: { isLoading?: boolean; onRefresh?: () => void }) {
  const { range, setRange } = useApp();
  return (
    <EuiSuperDatePicker
      data-test-subj="dfpRangePicker"
      start={range.from}
      end={range.to}
      isLoading={isLoading}
      commonlyUsedRanges={COMMONLY_USED_RANGES}
      onTimeChange={({ start, end, isInvalid }) => {
        if (!isInvalid) setRange({ from: start, to: end });
      }}
      onRefresh={() => onRefresh?.()}
      width="auto"
    />
  );
}
