// Shapes shared by the route handlers: a parsed request and the reply they produce.
import { Json } from './errors';

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  raw: string; // decoded (gunzipped) body text
  body: Json; // parsed JSON body, or undefined (NDJSON bodies are parsed by the bulk handler)
}

export interface Reply {
  status: number;
  body?: Json;
  /** An error answer built without throwing: `filter_path` does not apply to it. */
  error?: boolean;
}

export const SHARDS_WRITE = { total: 2, successful: 1, failed: 0 };

/** ?refresh, ?refresh=true, ?refresh=wait_for → what the write does afterwards. */
export function refreshMode(q: URLSearchParams): 'none' | 'true' | 'wait_for' {
  if (!q.has('refresh')) return 'none';
  const v = q.get('refresh');
  if (v === '' || v === 'true') return 'true';
  if (v === 'wait_for') return 'wait_for';
  return 'none';
}
