import { EuiFlexGroup, EuiFlexItem, EuiLoadingSpinner, EuiText } from '@elastic/eui';

/** A spinner with words, announced to screen readers while a panel's first answer is on its way. */
export function LoadingState({ what }: { what: string }) {
  return (
    <EuiFlexGroup justifyContent="center" alignItems="center" gutterSize="s" style={{ minHeight: 120 }} role="status" data-test-subj="dfpLoading">
      <EuiFlexItem grow={false}>
        <EuiLoadingSpinner size="l" />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiText size="s" color="subdued">
          Loading {what}…
        </EuiText>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}
