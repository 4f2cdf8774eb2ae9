/**
 * Kibana's errors as the plugin meets them. Saved objects and uiSettings throw Boom errors
 * (`isBoom`, `output.statusCode`, `output.payload.message`) built by Kibana's own copy of Boom, so
 * they are recognised by shape, never `instanceof`. A 403 comes from Kibana's security layer when
 * the caller's role does not grant the saved-object type (`Unable to update config-global`).
 */
import { HttpError } from '../routes/types';
import { APP_TITLE } from './feature';

interface BoomLike {
  isBoom: true;
  message: string;
  output: { statusCode: number; payload?: { message?: string } };
}

export function isBoom(e: unknown): e is BoomLike {
  const err = e as Partial<BoomLike> | null | undefined;
  return typeof err === 'object' && err !== null && err.isBoom === true && typeof err.output?.statusCode === 'number';
}

/** A Boom error's HTTP status (undefined for anything else). */
export function boomStatus(e: unknown): number | undefined {
  return isBoom(e) ? e.output.statusCode : undefined;
}

/** What the feature's privilege lacks, in the words an admin assigning roles sees. */
export function missingPrivilegeMessage(what: string, savedObjectType: string, privilege: 'All' | 'Read', kibanaSaid: string): string {
  return (
    `You may not ${what}: your role needs the ${APP_TITLE} feature's ${privilege} privilege in this space ` +
    `(it grants the saved object type ${savedObjectType}). Kibana said: ${kibanaSaid}`
  );
}

/**
 * Runs a saved-objects call made with the caller's own clients. Kibana refusing it (403) becomes an
 * HttpError naming the missing privilege (All for writes, by default), instead of a 500 from deep
 * inside Kibana.
 */
export async function asCaller<T>(what: string, savedObjectType: string, call: () => Promise<T>, privilege: 'All' | 'Read' = 'All'): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (boomStatus(e) === 403) throw new HttpError(403, missingPrivilegeMessage(what, savedObjectType, privilege, (e as Error).message));
    throw e;
  }
}
