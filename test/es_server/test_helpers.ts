import assert from 'node:assert/strict';
import { Client, errors } from '@elastic/elasticsearch';

/**
 * The official client as an application would build it, with its own retries on: the test
 * server's tests check that the client's retry of 429s and 503s works against it.
 */
export const plainClient = (url: string): Client => new Client({ node: url });

/** Runs `p` expecting a ResponseError; returns [status, error body]. */
export async function responseError(p: Promise<unknown>): Promise<[number, any]> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof errors.ResponseError, `expected ResponseError, got ${String(e)}`);
    return [e.statusCode ?? 0, e.body];
  }
  assert.fail('expected the request to fail');
}

/** Today's date as data stream backing indices spell it. */
export const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '.');

export const ids = (r: { hits: { hits: { _id?: string }[] } }): string[] => r.hits.hits.map((h) => h._id!);

/**
 * The JSON text of an answer as it came over the wire, through the official client's transport
 * (the parsed body loses digits of longs above 2^53; the text does not).
 */
export async function rawAnswer(client: Client, method: string, path: string, body?: unknown): Promise<string> {
  const res = await client.transport.request({ method, path, body: body as Record<string, unknown> }, { asStream: true, meta: true });
  let text = '';
  for await (const chunk of res.body as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text;
}
