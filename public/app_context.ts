/** What every page reads: the API client, where the app is, the range and source, and privileges. */
import { createContext, useContext } from 'react';
import type { DfpSettings, StatusResponse } from '../common/api';
import type { DfpApi } from './api';
import type { AppQuery, AppRoute } from './logic/routes';
import type { RangeInput } from './logic/range';

export interface Toasts {
  success(title: string, text?: string): void;
  danger(title: string, text?: string): void;
}

export interface AppServices {
  api: DfpApi;
  route: AppRoute;
  /** The range in force: the URL's, or the default (defaultRange). */
  range: RangeInput;
  /** The source in force: the URL's, or the first configured one. */
  source: string | undefined;
  settings: DfpSettings | null;
  status: StatusResponse | null;
  /** Reloads settings and status (after a save, a rollback, a job). */
  refreshShared(): void;
  navigate(route: AppRoute, query?: Partial<AppQuery>): void;
  /** The href of a view, for real links (middle-click, copy link). */
  hrefOf(route: AppRoute, query?: Partial<AppQuery>): string;
  setRange(range: RangeInput): void;
  setSource(source: string): void;
  /** Settings, training, rollback and jobs: from Kibana's capabilities, else until a manage call answers 403. */
  canManage: boolean;
  /** Recording triage decisions: Kibana's Triage sub-feature (the standalone page reads the same from its server). */
  canTriage: boolean;
  markForbidden(): void;
  colorMode: 'light' | 'dark';
  toasts: Toasts;
  /** Discover's URL for a path in it, or null where there is no Discover (the standalone page). */
  discoverUrl(path: string): string | null;
  openUrl(url: string): void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}
