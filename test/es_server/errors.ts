// Elasticsearch-shaped errors: { error: { root_cause: [...], type, reason, ...extra }, status }.
// Handlers throw EsError; the server turns it into the exact JSON body and HTTP status ES sends.

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class EsError extends Error {
  /** The document a write failed on, when its id was generated (bulk items report it). */
  docId?: string;
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
    /** What `root_cause` lists; by default the error itself (without its caused_by). */
    readonly rootCauses?: Json[],
  ) {
    super(reason);
  }

  /** The inner `error` object (also used for per-item bulk errors). */
  cause_(): Json {
    return { type: this.type, reason: this.reason, ...this.extra };
  }

  body(): Json {
    const inner = this.cause_();
    const { caused_by: _causedBy, ...root } = inner;
    return { error: { root_cause: this.rootCauses ?? [root], ...inner }, status: this.status };
  }
}

export const indexNotFound = (index: string): EsError =>
  new EsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });

export const illegalArgument = (reason: string): EsError => new EsError(400, 'illegal_argument_exception', reason);

export const parsingError = (reason: string): EsError => new EsError(400, 'parsing_exception', reason, { line: 1, col: 1 });

export const rejected = (what = 'request'): EsError =>
  new EsError(
    429,
    'es_rejected_execution_exception',
    `rejected execution of ${what} on EsThreadPoolExecutor[name = node-0/write, queue capacity = 10000]`,
  );
