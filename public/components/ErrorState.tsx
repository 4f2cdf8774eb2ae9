import { EuiButton, EuiCallOut } from '@elastic/eui';
import type { AppError } from '../logic/errors';

/** A failed request: what failed, the API's own message (it names the cause), and a retry. */
export function ErrorState({ what, error, onRetry }: { what: string; error: AppError; onRetry?: () => void }) {
  const title = error.status === 403 ? `You may not see ${what}` : `Could not load ${what}`;
  return (
    <EuiCallOut title={title} color="danger" iconType="error" data-test-subj="dfpError" role="alert">
      <p>
        {error.message}
        {error.status ? ` (HTTP ${error.status})` : ''}
      </p>
      {onRetry && error.status !== 403 && (
        <EuiButton size="s" color="danger" onClick={onRetry}>
          Try again
        </EuiButton>
      )}
    </EuiCallOut>
  );
}
