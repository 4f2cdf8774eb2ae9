/**
 * Mounts the app into the element Kibana gives the plugin, and unmounts it. The colour mode
 * follows Kibana's theme (dark mode on or off) while mounted.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EuiProvider } from '@elastic/eui';
import { AppRoot } from './components/AppRoot';
import { memoryHistory } from './memory_history';
import type { AppHistory, AppMountParameters, CoreStart, CoreTheme, Subscribable } from './types';

type ColorMode = 'light' | 'dark';

const modeOf = (t: CoreTheme): ColorMode => (t.darkMode === true || t.darkMode === 'dark' ? 'dark' : 'light');

function ThemedApp({ core, history, theme$ }: { core: CoreStart; history: AppHistory; theme$?: Subscribable<CoreTheme> }) {
  const [colorMode, setColorMode] = useState<ColorMode>('light');
  useEffect(() => {
    if (!theme$) return;
    const sub = theme$.subscribe((t) => setColorMode(modeOf(t)));
    return () => sub.unsubscribe();
  }, [theme$]);
  return (
    // Inside Kibana the page already carries EUI's global styles (and Kibana's adjustments to them):
    // add them only where there is no Kibana rendering service, i.e. the standalone page.
    <EuiProvider colorMode={colorMode} {...(core.rendering ? { globalStyles: false as const, utilityClasses: false as const } : {})}>
      <AppRoot core={core} history={history} colorMode={colorMode} />
    </EuiProvider>
  );
}

/** Renders the app into `params.element`; returns the unmount function Kibana calls on leaving. */
export function renderApp(core: CoreStart, params: AppMountParameters): () => void {
  const root = createRoot(params.element);
  root.render(<ThemedApp core={core} history={params.history ?? memoryHistory()} theme$={core.theme?.theme$ ?? params.theme$} />);
  return () => root.unmount();
}
