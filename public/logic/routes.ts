/**
 * In-app routing without a router library: the app's pages as paths relative to the app's base
 * (Kibana's ScopedHistory gives exactly those), and the source and time range in the query string
 * so that a link, a reload or the back button lands on the same view.
 */

export type AppRoute =
  | { page: 'overview' }
  | { page: 'user'; user: string }
  | { page: 'models' }
  | { page: 'jobs' }
  | { page: 'settings' };

export type PageId = AppRoute['page'];

/** What the query string carries across pages. */
export interface AppQuery {
  source?: string;
  from?: string;
  to?: string;
}

/** The page a path names; unknown paths show the overview. */
export function parseRoute(pathname: string): AppRoute {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'users' && parts.length === 2) {
    try {
      return { page: 'user', user: decodeURIComponent(parts[1]) };
    } catch {
      return { page: 'overview' };
    }
  }
  if (parts.length === 1 && (parts[0] === 'models' || parts[0] === 'jobs' || parts[0] === 'settings')) return { page: parts[0] };
  return { page: 'overview' };
}

export function routePath(route: AppRoute): string {
  switch (route.page) {
    case 'overview':
      return '/';
    case 'user':
      // User keys may hold "/", "@" or spaces: one encoded path segment.
      return `/users/${encodeURIComponent(route.user)}`;
    default:
      return `/${route.page}`;
  }
}

export function parseQuery(search: string): AppQuery {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const q: AppQuery = {};
  for (const key of ['source', 'from', 'to'] as const) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  return q;
}

/** Path and query of a view, e.g. "/users/alice?source=azure&from=now-7d&to=now". */
export function buildUrl(route: AppRoute, query: AppQuery): string {
  const params = new URLSearchParams();
  for (const key of ['source', 'from', 'to'] as const) {
    const v = query[key];
    if (v) params.set(key, v);
  }
  const qs = params.toString();
  return qs ? `${routePath(route)}?${qs}` : routePath(route);
}

/** Pages a user without the manage privilege may not see. */
export function pageNeedsManage(page: PageId): boolean {
  return page === 'settings';
}
