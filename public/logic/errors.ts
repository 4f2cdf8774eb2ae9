/**
 * Errors from Kibana's http service (IHttpFetchError: `body` holds the API's
 * `{ statusCode, error, message }`, `response.status` the HTTP status) or from the standalone
 * page's fetch stand-in, as one shape the pages show.
 */

export interface AppError {
  status: number | null;
  message: string;
}

export function toAppError(e: unknown): AppError {
  const err = (e ?? {}) as { body?: { statusCode?: unknown; message?: unknown }; response?: { status?: unknown }; status?: unknown; message?: unknown };
  const bodyStatus = typeof err.body?.statusCode === 'number' ? err.body.statusCode : null;
  const resStatus = typeof err.response?.status === 'number' ? err.response.status : typeof err.status === 'number' ? err.status : null;
  const message =
    typeof err.body?.message === 'string' && err.body.message
      ? err.body.message
      : typeof err.message === 'string' && err.message
        ? err.message
        : typeof e === 'string'
          ? e
          : 'the request failed';
  return { status: bodyStatus ?? resStatus, message };
}

export const isForbidden = (e: AppError | null | undefined): boolean => e?.status === 403;

/**
 * Per-field messages from a 400: the API names each bad field as `[body.sources.0.id]: message`
 * (Kibana: `[request body.x]`), several joined by "; ". Keys are paths without the body prefix
 * ("sources.0.id"); a message about the body as a whole goes under "".
 */
export function fieldErrors(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(?:^|;\s*)\[([^\]]*)\]:\s*/g;
  const marks: { path: string; start: number; end: number }[] = [];
  for (let m = re.exec(message); m; m = re.exec(message)) marks.push({ path: m[1], start: m.index, end: re.lastIndex });
  marks.forEach((mark, i) => {
    const text = message.slice(mark.end, i + 1 < marks.length ? marks[i + 1].start : undefined).trim();
    const path = mark.path.replace(/^(request body|request query|body|query|params)\.?/, '');
    out[path] = out[path] ? `${out[path]}; ${text}` : text;
  });
  return out;
}
