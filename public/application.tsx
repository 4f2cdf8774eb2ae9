/**
 * Mounts the app into the element Kibana gives the plugin, and unmounts it. Inside Kibana the app
 * renders in Kibana's own render context (`core.rendering.addContext`): Kibana's EUI provider with
 * its theme (light or dark; Amsterdam on 8.x, Borealis on 9.x) and its i18n. A host without a
 * rendering service gets EUI's provider here, following the host's dark mode.
 */
import { useEffect, useState, type ReactElement } from 'react';
import { EuiProvider } from '@elastic/eui';
import { AppRoot } from './components/AppRoot';
import { memoryHistory } from './memory_history';
import { mountReact } from './mount';
import type { AppMountParameters, CoreStart, CoreTheme, Subscribable } from './types';

type ColorMode = 'light' | 'dark';

const modeOf = (t: CoreTheme): ColorMode => (t.darkMode === true || t.darkMode === 'dark' ? 'dark' : 'light');

function HostlessProvider({ theme$, children }: { theme$?: Subscribable<CoreTheme>; children: ReactElement }) {
  const [colorMode, setColorMode] = useState<ColorMode>('light');
  useEffect(() => {
    if (!theme$) return;
    const sub = theme$.subscribe((t) => setColorMode(modeOf(t)));
    return () => sub.unsubscribe();
  }, [theme$]);
  return <EuiProvider colorMode={colorMode}>{children}</EuiProvider>;
}

/** Renders the app into `params.element`; returns the unmount function Kibana calls on leaving. */
export function renderApp(core: CoreStart, params: AppMountParameters): () => void {
  const app = <AppRoot core={core} history={params.history ?? memoryHistory()} />;
  const tree = core.rendering ? core.rendering.addContext(app) : <HostlessProvider theme$={core.theme?.theme$ ?? params.theme$}>{app}</HostlessProvider>;
  return mountReact(tree, params.element);
}
