import { useState } from 'react';
import { EuiButtonEmpty, EuiToolTip } from '@elastic/eui';
import { useApp } from '../app_context';

/**
 * Offers the saved objects (data views, searches, visualizations, the anomalies dashboard) for the
 * enriched indices as an NDJSON file, to import in Stack Management → Saved objects.
 */
export function DashboardsDownload() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { fileName, ndjson } = await api.dashboards();
      const url = URL.createObjectURL(new Blob([ndjson], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <EuiToolTip content={error ?? 'Kibana saved objects for dashboards on the scores: import them in Stack Management → Saved objects'}>
      <EuiButtonEmpty iconType="download" size="s" onClick={download} isLoading={busy} color={error ? 'danger' : 'primary'} data-test-subj="dfpDownloadDashboards">
        Dashboards
      </EuiButtonEmpty>
    </EuiToolTip>
  );
}
