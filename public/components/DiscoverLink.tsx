import React from 'react';
import { EuiButtonEmpty, EuiLink } from '@elastic/eui';
import { useApp } from '../app_context';
import { discoverPath, type DiscoverTarget } from '../logic/discover';

/** Opens Discover on the user's events (or one event) through Kibana's navigation. */
export function DiscoverLink({ target, label, asButton }: { target: DiscoverTarget | null; label: string; asButton?: boolean }) {
  const { discoverUrl, openUrl } = useApp();
  const url = target ? discoverUrl(discoverPath(target)) : null;
  if (!url) return null;
  const onClick = (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    openUrl(url);
  };
  return asButton ? (
    <EuiButtonEmpty iconType="discoverApp" href={url} onClick={onClick} data-test-subj="dfpDiscoverLink">
      {label}
    </EuiButtonEmpty>
  ) : (
    <EuiLink href={url} onClick={onClick} data-test-subj="dfpDiscoverLink">
      {label}
    </EuiLink>
  );
}
