/**
 * Hosts the route table on Kibana's router: each RouteDef under /internal/dfp (and /api/dfp when
 * public), its zod schemas as Kibana validation functions (so a bad input is Kibana's own 400
 * naming the field), the privilege it needs as Kibana authz, and its plain handler called with a
 * RouteContext built for the request.
 */
import type { ZodType } from 'zod';
import { INTERNAL_API, PRIVILEGES, PUBLIC_API } from '../../common/api';
import type { RouteContext, RouteDef } from '../routes/types';
import { isBoom } from './kibana_errors';
import type { CoreRequestHandlerContext, IRouter, KibanaRequest, KibanaResponseFactory, Logger, RouteValidationFunction } from './types';

export type RouteContextFactory = (request: KibanaRequest, core: CoreRequestHandlerContext) => Promise<RouteContext>;

/**
 * A zod schema as a Kibana validation function. One problem: its path goes to Kibana, which
 * answers `[request body.field]: message`; several: each is named in the message.
 */
export function zodValidation<T>(schema: ZodType<T>, emptyAsObject: boolean): RouteValidationFunction<T> {
  return (data, { ok, badRequest }) => {
    // Kibana hands an absent body or query over as null/undefined; validating {} names the missing fields instead.
    const parsed = schema.safeParse(emptyAsObject && (data === null || data === undefined) ? {} : data);
    if (parsed.success) return ok(parsed.data);
    const issues = parsed.error.issues;
    if (issues.length === 1) return badRequest(issues[0].message, issues[0].path.map(String));
    return badRequest(issues.map((i) => `[${i.path.join('.') || '(root)'}]: ${i.message}`).join('; '));
  };
}

/** Status and message of an error thrown by a handler, and whether it is our fault (to be logged). */
export function errorResponse(e: unknown): { statusCode: number; message: string; internal: boolean } {
  const err = e as { name?: string; statusCode?: unknown; message?: string } | undefined;
  // By name as well as class: the handler may come from another copy of the module.
  if (err?.name === 'HttpError' && typeof err.statusCode === 'number') return { statusCode: err.statusCode, message: err.message ?? '', internal: false };
  // Some shards did not answer (whole_search.ts): a transient state of the cluster, worth a retry.
  if (err?.name === 'IncompleteSearchError') return { statusCode: 503, message: err.message ?? '', internal: false };
  // Kibana's own errors (saved objects, uiSettings) carry their status: a refusal stays a refusal.
  if (isBoom(e) && e.output.statusCode >= 400 && e.output.statusCode < 500) {
    return { statusCode: e.output.statusCode, message: e.output.payload?.message ?? e.message, internal: false };
  }
  // Elasticsearch refused the caller (their own privileges, through asCurrentUser): say so, as Elasticsearch did.
  for (let cause: unknown = e, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const status = (cause as { meta?: { statusCode?: unknown } }).meta?.statusCode;
    if ((cause as Error).name === 'ResponseError' && (status === 401 || status === 403)) {
      return { statusCode: status, message: (e as Error).message, internal: false };
    }
    // Busy, or a shard unavailable (a search that refuses partial results): transient, say so.
    if ((cause as Error).name === 'ResponseError' && (status === 429 || status === 503)) {
      return { statusCode: 503, message: (e as Error).message, internal: false };
    }
  }
  return { statusCode: 500, message: e instanceof Error ? e.message : String(e), internal: true };
}

export function registerRoutes(router: IRouter, routes: readonly RouteDef[], contextFor: RouteContextFactory, logger: Logger): void {
  for (const def of routes) {
    const handler = async (context: { core: Promise<CoreRequestHandlerContext> }, request: KibanaRequest, response: KibanaResponseFactory) => {
      try {
        const ctx = await contextFor(request, await context.core);
        const body = await def.handler(ctx, { params: request.params, query: request.query, body: request.body });
        return response.ok({ body: body as object });
      } catch (e) {
        const { statusCode, message, internal } = errorResponse(e);
        if (internal) logger.error(`${def.method.toUpperCase()} ${def.path} failed: ${(e as Error)?.stack ?? message}`);
        return response.customError({ statusCode, body: { message } });
      }
    };
    const validate = {
      ...(def.validate.params ? { params: zodValidation(def.validate.params, false) } : {}),
      ...(def.validate.query ? { query: zodValidation(def.validate.query, true) } : {}),
      ...(def.validate.body ? { body: zodValidation(def.validate.body, true) } : {}),
    };
    const bases: [string, 'internal' | 'public'][] = [[INTERNAL_API, 'internal']];
    if (def.public) bases.push([PUBLIC_API, 'public']);
    for (const [base, access] of bases) {
      router[def.method](
        {
          path: `${base}${def.path}`,
          validate,
          security: { authz: { requiredPrivileges: [PRIVILEGES[def.privilege]] } },
          options: { access, description: def.description },
        },
        handler,
      );
    }
  }
}
