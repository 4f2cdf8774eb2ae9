/** API answers as the rows of the app's tables. */
import type { RankedUser, UsersResponse, UserSort } from '../../common/api';
import type { JobRun, RunStatus } from '../../common/jobs';
import type { ModelVersionInfo } from '../../common/models';
import { formatCount, formatDuration } from './format';

export interface UserRow extends RankedUser {
  /** What the table shows as the user's name: the label, else the key. */
  display: string;
  /** Whether the user has a flagged event: at or above the threshold in force, not suppressed as benign. */
  isFlagged: boolean;
}

export function userRows(res: Pick<UsersResponse, 'users' | 'threshold'>): UserRow[] {
  return res.users.map((u) => ({ ...u, display: u.label || u.user, isFlagged: u.flagged > 0 || (!u.suppressed && u.maxZscore >= res.threshold) }));
}

/** The table's columns the API can sort by (EuiBasicTable field → the API's `sort`). */
const SORTABLE: Record<string, UserSort> = { display: 'user', user: 'user', userRisk: 'userRisk', maxZscore: 'maxZscore', flagged: 'flagged', events: 'events', lastSeen: 'lastSeen' };

export function apiSortOf(field: string | undefined): UserSort | null {
  return field && SORTABLE[field] ? SORTABLE[field] : null;
}

/**
 * The direction a column sorts in when first clicked: most first for counts, scores and times (the
 * analyst wants the most flagged, the riskiest, the latest on top), A to Z for names. EUI starts
 * every column ascending.
 */
export function firstOrderOf(sort: UserSort): 'asc' | 'desc' {
  return sort === 'user' ? 'asc' : 'desc';
}

/** The table's sort after a click: a new column starts in its own first direction; the same column flips as EUI says. */
export function nextUserSort(current: { sort: UserSort; order: 'asc' | 'desc' }, clicked: { field?: string; direction?: 'asc' | 'desc' } | undefined): { sort: UserSort; order: 'asc' | 'desc' } {
  const sort = apiSortOf(clicked?.field);
  if (sort === null) return current;
  if (sort !== current.sort) return { sort, order: firstOrderOf(sort) };
  return { sort, order: clicked?.direction ?? current.order };
}

/** EuiBasicTable's pagination for a server-paged answer (pages counted from 0 there, from 1 in the API). */
export function tablePagination(res: { page: number; perPage: number; total: number }, pageSizeOptions = [10, 25, 50, 100]) {
  return { pageIndex: Math.max(0, res.page - 1), pageSize: res.perPage, totalItemCount: res.total, pageSizeOptions };
}

export interface JobItem extends JobRun {
  /** 0–100 when the total is known, null otherwise. */
  percent: number | null;
  durationText: string;
  countsText: string;
  health: 'success' | 'danger' | 'warning' | 'subdued' | 'primary';
}

const HEALTH: Record<RunStatus, JobItem['health']> = { running: 'primary', succeeded: 'success', failed: 'danger', cancelled: 'warning', abandoned: 'subdued' };

export function jobItems(runs: JobRun[], now: number): JobItem[] {
  return runs.map((r) => {
    const start = Date.parse(r.startedAt);
    const end = r.endedAt ? Date.parse(r.endedAt) : now;
    const percent = r.progress.total > 0 ? Math.min(100, Math.round((100 * r.progress.done) / r.progress.total)) : null;
    const countsText = Object.entries(r.counts)
      .filter(([, n]) => typeof n === 'number')
      .map(([k, n]) => `${k.replace(/_/g, ' ')} ${formatCount(n)}`)
      .join(', ');
    return { ...r, percent, durationText: Number.isFinite(start) && Number.isFinite(end) ? formatDuration(end - start) : '—', countsText, health: HEALTH[r.status] ?? 'subdued' };
  });
}

export function splitJobs(items: JobItem[]): { running: JobItem[]; history: JobItem[] } {
  return { running: items.filter((j) => j.status === 'running'), history: items.filter((j) => j.status !== 'running') };
}

/** Versions newest first, with whether each can be rolled back to (any stored version but the active one). */
export function versionRows(versions: ModelVersionInfo[]): (ModelVersionInfo & { canRollBack: boolean })[] {
  return [...versions].sort((a, b) => b.version - a.version).map((v) => ({ ...v, canRollBack: !v.active }));
}
