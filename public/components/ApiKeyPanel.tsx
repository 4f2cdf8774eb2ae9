import { useState } from 'react';
import { EuiButton, EuiCallOut, EuiDescriptionList, EuiFlexGroup, EuiFlexItem, EuiText } from '@elastic/eui';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { toAppError } from '../logic/errors';
import { formatTime } from '../logic/format';

/**
 * Whose API key a source's background jobs run with (their privileges are the jobs'), and a
 * button that grants a new one in the current admin's name.
 */
export function ApiKeyPanel({ sourceId }: { sourceId: string }) {
  const { api, toasts, canManage, markForbidden } = useApp();
  const [busy, setBusy] = useState(false);
  const key = useRequest(() => api.sourceKey(sourceId), [api, sourceId]);
  const renew = async () => {
    setBusy(true);
    try {
      const res = await api.renewSourceKey(sourceId);
      toasts.success(`New API key for ${sourceId}`, `The jobs of ${sourceId} now run as ${res.key.owner}.`);
      key.reload();
    } catch (e) {
      const err = toAppError(e);
      if (err.status === 403) markForbidden();
      toasts.danger('Renewing the key failed', err.message);
    } finally {
      setBusy(false);
    }
  };
  if (key.error?.status === 404) {
    return (
      <EuiText size="s" color="subdued" data-test-subj="dfpApiKeyNone">
        <p>{key.error.message}</p>
      </EuiText>
    );
  }
  if (key.error) return <EuiCallOut size="s" color="warning" title={`Could not read the API key of ${sourceId}: ${key.error.message}`} />;
  const info = key.data?.key ?? null;
  return (
    <EuiFlexGroup alignItems="center" data-test-subj="dfpApiKey">
      <EuiFlexItem>
        {key.loading && !key.data ? (
          <EuiText size="s">Loading…</EuiText>
        ) : info ? (
          <EuiDescriptionList
            compressed
            type="column"
            listItems={[
              { title: 'Jobs run as', description: <span data-test-subj="dfpApiKeyOwner">{info.owner}</span> },
              { title: 'Key', description: `${info.keyName} (${info.keyId})` },
              { title: 'Granted', description: formatTime(info.createdAt) },
            ]}
          />
        ) : (
          <EuiText size="s" color="warning">
            <p>No API key yet: the source's jobs cannot run until an admin saves the sources or renews the key.</p>
          </EuiText>
        )}
      </EuiFlexItem>
      {canManage && (
        <EuiFlexItem grow={false}>
          <EuiButton size="s" iconType="refresh" onClick={renew} isLoading={busy} data-test-subj="dfpRenewKey">
            Renew as me
          </EuiButton>
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
}
