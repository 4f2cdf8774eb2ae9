import { DARK_THEME, LIGHT_THEME, type PartialTheme, type Theme } from '@elastic/charts';
import { useApp } from '../app_context';

/** Charts sit on EUI panels: let the panel's colour show through in both colour modes. */
export const CHART_THEME: PartialTheme = { background: { color: 'transparent' } };

/** @elastic/charts' base theme for the colour mode in force (Kibana's dark mode, or light). */
export function useChartBaseTheme(): Theme {
  return useApp().colorMode === 'dark' ? DARK_THEME : LIGHT_THEME;
}

/**
 * Whether charts publish what they drew (`debugState`: axes' visible labels, series values) on
 * their element, as Kibana's functional tests ask by setting `window._echDebugStateFlag`.
 */
export function chartDebugState(): boolean {
  return typeof window !== 'undefined' && (window as { _echDebugStateFlag?: boolean })._echDebugStateFlag === true;
}
