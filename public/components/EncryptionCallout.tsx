import { EuiCallOut, EuiSpacer } from '@elastic/eui';
import type { EncryptionStatus } from '../../common/api';

/**
 * Warns when Kibana cannot store the API keys sources' jobs need (no
 * `xpack.encryptedSavedObjects.encryptionKey`): saving sources fails until it is set. Shows nothing
 * otherwise, nor outside Kibana (the status API then has no `encryption`). Only props that EUI 97
 * (Kibana 8.17) and later versions share.
 */
export function EncryptionCallout({ encryption }: { encryption: EncryptionStatus | null | undefined }) {
  if (!encryption || encryption.canEncrypt || !encryption.message) return null;
  return (
    <>
      <EuiCallOut title="API keys for background jobs cannot be stored" color="warning" iconType="warning" data-test-subj="dfpEncryptionCallout">
        <p>{encryption.message}</p>
      </EuiCallOut>
      <EuiSpacer size="m" />
    </>
  );
}
