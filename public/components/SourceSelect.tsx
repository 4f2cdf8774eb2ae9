import { EuiSelect } from '@elastic/eui';
import { useApp } from '../app_context';

/** Which configured source (and so which users and models) the page shows. */
export function SourceSelect() {
  const { settings, source, setSource } = useApp();
  const sources = settings?.sources ?? [];
  if (sources.length === 0) return null;
  return (
    <EuiSelect
      data-test-subj="dfpSourceSelect"
      aria-label="Source"
      prepend="Source"
      compressed={false}
      options={sources.map((s) => ({ value: s.id, text: `${s.id} (${s.profile})` }))}
      value={source}
      onChange={(e) => setSource(e.target.value)}
    />
  );
}
