/**
 * The parts of Kibana's browser core the app uses, restated (nothing of Kibana's is imported at
 * build time; Kibana hands these objects to the plugin at run time, the standalone page a stand-in).
 */
import type { ReactElement, ReactNode } from 'react';
import type { HttpClient } from './api';

/** rxjs' Observable as far as used here. */
export interface Subscribable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

/** Kibana's CoreTheme: dark mode on or off; 8.18+ also name the theme (amsterdam, borealis). */
export interface CoreTheme {
  darkMode: boolean | string;
  name?: string;
}

export interface ThemeServiceStart {
  theme$: Subscribable<CoreTheme>;
}

export interface ApplicationStart {
  navigateToUrl(url: string): Promise<void>;
  getUrlForApp?(appId: string, options?: { path?: string; absolute?: boolean }): string;
  /** The registered apps by id (Kibana's PublicAppInfo; `status` 1: inaccessible to this user). */
  applications$?: Subscribable<ReadonlyMap<string, { status?: number }>>;
  /** UI capabilities by feature: ours says `show`/`manage`/`triage` (server/kibana/feature.ts). */
  capabilities?: Record<string, Record<string, unknown>>;
}

export interface CoreStart {
  http: HttpClient;
  theme?: ThemeServiceStart;
  application?: ApplicationStart;
  /** Kibana's render context: wraps a tree in Kibana's EUI provider (theme, i18n). */
  rendering?: RenderingService;
}

/** Kibana's RenderingService (CoreStart.rendering) as far as used. */
export interface RenderingService {
  addContext(element: ReactNode): ReactElement;
}

export interface AppLocation {
  pathname: string;
  search: string;
}

/** Kibana's ScopedHistory as far as used: paths relative to the app's base path. */
export interface AppHistory {
  location: AppLocation;
  push(path: string): void;
  listen(listener: (location: AppLocation) => void): () => void;
}

export interface AppMountParameters {
  element: HTMLElement;
  appBasePath?: string;
  history?: AppHistory;
  theme$?: Subscribable<CoreTheme>;
}
