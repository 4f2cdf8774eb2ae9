// Fault injection, driven from the test (not over HTTP): whole-request errors (429/503/...),
// slow answers, sockets destroyed mid-response, per-item bulk failures, read-only indices, and
// shards that fail (or time out) inside a search or count that otherwise answers.
import { EsError, rejected } from './errors';
import { ItemFault } from './bulk';
import { Req } from './http';
import { Store } from './store';

export interface RequestFault {
  method?: string;
  path?: RegExp | string; // RegExp tested against the path, or an exact path
  when?: (req: Req) => boolean;
  status?: number; // answer with this status and an ES-shaped error instead of handling the request
  errorType?: string;
  reason?: string;
  delayMs?: number; // wait before answering (alone, or before the status/destroy)
  /** 'mid-response': handle the request, send headers and half the body, then destroy the socket.
   *  'before': destroy the socket without handling the request. */
  destroySocket?: 'mid-response' | 'before';
  times?: number; // how many matching requests it hits (default: unlimited)
}

export interface BulkItemFaultSpec {
  every?: number; // fail every Nth item (1-based over all bulk items seen: 3 → items 3, 6, 9, ...)
  predicate?: (item: { action: string; index: string; id?: string; position: number }) => boolean;
  status?: number; // default 429
  errorType?: string;
  reason?: string;
  times?: number; // how many items to fail at most
}

export interface ShardFaultSpec {
  /** Indices whose shard fails: a name, a RegExp, or (absent) every index the request reaches. */
  index?: string | RegExp;
  /** Which shard of each matching index fails (default 0). */
  shard?: number;
  /** How many requests it hits at most (default: unlimited). */
  times?: number;
  /**
   * Instead of failing, the shard's query runs past the request's `timeout` (only requests that
   * set one): its hits are left out, it still counts as successful, and `timed_out` is true.
   */
  timedOut?: boolean;
  /** The shard's error. Default: search_context_missing_exception (404) in a point-in-time search,
   *  no_shard_available_action_exception (503) otherwise. */
  type?: string;
  reason?: string;
  status?: number;
}

/** What happens to one shard of a request. */
export interface ShardFault {
  timedOut: boolean;
  error: EsError;
}

const DEFAULT_ERRORS: Record<number, [string, string]> = {
  400: ['illegal_argument_exception', 'injected bad request'],
  403: ['security_exception', 'action [indices:data/write/bulk] is unauthorized for user [test]'],
  404: ['index_not_found_exception', 'no such index [injected]'],
  409: ['version_conflict_engine_exception', 'injected version conflict'],
  500: ['exception', 'injected internal error'],
  502: ['exception', 'bad gateway'],
  503: ['cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];'],
  504: ['exception', 'gateway timeout'],
};

export function errorFor(status: number, type?: string, reason?: string): EsError {
  if (status === 429 && !type) return rejected();
  const [t, r] = DEFAULT_ERRORS[status] ?? ['exception', `injected status ${status}`];
  return new EsError(status, type ?? t, reason ?? r);
}

export class Faults {
  private rules: { rule: RequestFault; left: number }[] = [];
  private items: { spec: BulkItemFaultSpec; left: number; seen: number }[] = [];
  private shardRules: { spec: ShardFaultSpec; left: number }[] = [];

  constructor(private readonly store: Store) {}

  inject(rule: RequestFault): void {
    this.rules.push({ rule, left: rule.times ?? Infinity });
  }

  bulkItemFailures(spec: BulkItemFaultSpec): void {
    this.items.push({ spec, left: spec.times ?? Infinity, seen: 0 });
  }

  /** Marks an index read-only (index.blocks.read_only), as an operator or the disk watermark would. */
  readOnly(index: string, on = true): void {
    const ix = this.store.getIndex(index);
    if (on) ix.settings['index.blocks.read_only'] = 'true';
    else delete ix.settings['index.blocks.read_only'];
  }

  /** Fails (or times out) a shard of the searches and counts that reach a matching index. */
  shardFailure(spec: ShardFaultSpec = {}): void {
    this.shardRules.push({ spec, left: spec.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
    this.items = [];
    this.shardRules = [];
  }

  /**
   * The injected outcome of each shard of one search or count (by shard position), consuming one
   * of `times` of every rule that hits a shard of it.
   */
  shardFaults(shards: { index: { name: string }; shard: number; position: number }[], req: { pit: boolean; timeout: boolean }): Map<number, ShardFault> {
    const out = new Map<number, ShardFault>();
    for (const r of this.shardRules) {
      const { spec } = r;
      if (r.left <= 0 || (spec.timedOut && !req.timeout)) continue;
      const hit = shards.filter((t) => {
        const name = t.index.name;
        const indexOk = spec.index === undefined || (spec.index instanceof RegExp ? spec.index.test(name) : spec.index === name);
        return indexOk && t.shard === (spec.shard ?? 0) && !out.has(t.position);
      });
      if (hit.length === 0) continue;
      r.left--;
      for (const t of hit) out.set(t.position, { timedOut: spec.timedOut === true, error: shardError(spec, t, req.pit) });
    }
    return out;
  }

  /** The first rule that matches this request (consuming one of its `times`). */
  take(req: Req): RequestFault | undefined {
    for (const r of this.rules) {
      const { rule } = r;
      if (r.left <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== req.method) continue;
      if (rule.path instanceof RegExp ? !rule.path.test(req.path) : rule.path !== undefined && rule.path !== req.path) continue;
      if (rule.when && !rule.when(req)) continue;
      r.left--;
      return rule;
    }
    return undefined;
  }

  readonly itemFault: ItemFault = (item) => {
    for (const f of this.items) {
      if (f.left <= 0) continue;
      f.seen++;
      const hit = f.spec.predicate ? f.spec.predicate(item) : f.spec.every ? f.seen % f.spec.every === 0 : false;
      if (hit) {
        f.left--;
        return errorFor(f.spec.status ?? 429, f.spec.errorType, f.spec.reason);
      }
    }
    return undefined;
  };
}


/** The error an injected shard fault carries (a timeout's is what allow_partial_search_results=false answers). */
function shardError(spec: ShardFaultSpec, t: { index: { name: string }; shard: number; position: number }, pit: boolean): EsError {
  if (spec.timedOut) return new EsError(spec.status ?? 429, spec.type ?? 'search_timeout_exception', spec.reason ?? 'Time exceeded');
  if (spec.type || spec.reason || spec.status) {
    return new EsError(spec.status ?? 500, spec.type ?? 'exception', spec.reason ?? `injected failure of shard [${t.index.name}][${t.shard}]`);
  }
  if (pit) return new EsError(404, 'search_context_missing_exception', `No search context found for id [${t.position + 1}]`);
  return new EsError(503, 'no_shard_available_action_exception', `[${t.index.name}][${t.shard}] no shard available for [indices:data/read/search[phase/query]]`);
}
