/**
 * An Elasticsearch client from connection settings (CLI flags or environment), checked once so a
 * wrong URL, credential or certificate fails with a message that says which.
 */
import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { esErrorReason, esStatus, isConnectionError, isRetryableStatus } from './errors';
import { withRetry, type RetryOptions } from './retry';

export interface EsConnection {
  url: string;
  /** An API key: the base64 `id:api_key` form Elasticsearch returns as `encoded`. */
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the cluster's certificate. */
  caFile?: string;
  /** Skip certificate verification (a test cluster with a self-signed certificate only). */
  insecure?: boolean;
  requestTimeoutMs?: number;
  /** Transport-level retries of connection errors and 502–504 (default 3, with the transport's backoff). */
  maxRetries?: number;
  /**
   * Gzip request bodies. Off by default, as Kibana's `elasticsearch.compression`: compressing
   * bulk bodies took 40 % of the plugin's scoring time (500 users: ~6,100 → 8,800–10,200 events/s
   * without it, BENCHMARKS.md session 8); worth turning on over a slow or metered link.
   */
  compression?: boolean;
}

/** Connection settings from the environment: ES_URL, ES_API_KEY, ES_USERNAME, ES_PASSWORD, ES_CA. */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<EsConnection> {
  return {
    url: env.ES_URL || undefined,
    apiKey: env.ES_API_KEY || undefined,
    username: env.ES_USERNAME || undefined,
    password: env.ES_PASSWORD || undefined,
    caFile: env.ES_CA || undefined,
  };
}

export function createEsClient(conn: EsConnection): Client {
  let url: URL;
  try {
    url = new URL(conn.url);
  } catch {
    throw new Error(`--es-url "${conn.url}" is not a URL (expected e.g. https://localhost:9200)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--es-url must be http:// or https://, got "${conn.url}"`);
  if (conn.apiKey && (conn.username || conn.password)) throw new Error('give either an API key or a username and password, not both');
  if (!!conn.username !== !!conn.password) throw new Error('basic authentication needs both a username and a password');

  const options: ClientOptions = {
    node: conn.url,
    requestTimeout: conn.requestTimeoutMs ?? 60_000,
    // The transport retries connection errors and 502–504 itself; 429s are retried per item by our
    // bulk writer and by withRetry, with backoff.
    maxRetries: conn.maxRetries ?? 3,
    compression: conn.compression ?? false,
  };
  if (conn.apiKey) options.auth = { apiKey: conn.apiKey };
  else if (conn.username && conn.password) options.auth = { username: conn.username, password: conn.password };
  if (conn.caFile) {
    let ca: string;
    try {
      ca = readFileSync(conn.caFile, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the CA certificate "${conn.caFile}": ${(e as Error).message}`);
    }
    options.tls = { ca, rejectUnauthorized: !conn.insecure };
  } else if (conn.insecure) {
    options.tls = { rejectUnauthorized: false };
  }
  return new Client(options);
}

/**
 * Asks the cluster who it is; throws a message naming the URL and what went wrong. A busy cluster
 * (429, 502–504) is asked again with backoff before it counts as unreachable; connection errors
 * are left to the transport's own retries, so a wrong URL fails fast.
 */
export async function checkConnection(client: Client, url: string, retry: RetryOptions = {}): Promise<{ version: string; cluster: string }> {
  try {
    const info = await withRetry('connection check', () => client.info(), { when: (e) => isRetryableStatus(esStatus(e)), ...retry });
    return { version: info.version.number, cluster: info.cluster_name };
  } catch (thrown) {
    const e = (thrown as Error).cause ?? thrown; // withRetry's wrapper: the client error is its cause
    const status = esStatus(e);
    // Credentials scoped to the data they need may lack the monitor privilege `info` asks for:
    // the cluster answered, which is what this check is about.
    if (status === 403) return { version: 'unknown', cluster: 'unknown' };
    const hint =
      status === 401
        ? ' (check the API key or username and password)'
        : isConnectionError(e)
            ? ' (is the URL right and the cluster up? for https with a private CA pass --es-ca)'
            : '';
    throw new Error(`cannot reach Elasticsearch at ${url}: ${esErrorReason(e)}${hint}`, { cause: e });
  }
}
