import { EuiButton, EuiEmptyPrompt } from '@elastic/eui';
import { useApp } from '../app_context';

/** A new install: nothing to show on any page until a source is added, and how to add one. */
export function NoSourcesPrompt() {
  const { canManage, navigate } = useApp();
  return (
    <EuiEmptyPrompt
      data-test-subj="dfpNoSources"
      iconType="indexSettings"
      title={<h2>No sources yet</h2>}
      body={
        <p>
          Fingerprints are learned per source: an index pattern read with a profile (Azure sign-ins, CloudTrail, Okta…).{' '}
          {canManage ? 'Add one in the settings; the schedules then train and score it.' : 'An admin adds one in the settings.'}
        </p>
      }
      actions={
        canManage ? (
          <EuiButton fill onClick={() => navigate({ page: 'settings' })} data-test-subj="dfpAddSource">
            Add a source
          </EuiButton>
        ) : undefined
      }
    />
  );
}
