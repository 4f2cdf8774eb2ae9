// Connection settings: clear errors for a wrong URL, mixed credentials, a missing CA file, and an
// unreachable or refusing cluster.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkConnection, connectionFromEnv, createEsClient } from '../server/engine/io/es/client';

it('refuses bad connection settings before connecting, naming what is wrong', () => {
  assert.throws(() => createEsClient({ url: 'localhost:9200' }), /--es-url must be http:\/\/ or https:\/\//);
  assert.throws(() => createEsClient({ url: 'not a url' }), /is not a URL/);
  assert.throws(() => createEsClient({ url: 'http://x:9200', apiKey: 'k', username: 'u', password: 'p' }), /either an API key or a username and password/);
  assert.throws(() => createEsClient({ url: 'http://x:9200', username: 'u' }), /needs both a username and a password/);
  assert.throws(() => createEsClient({ url: 'https://x:9200', caFile: '/nonexistent/ca.pem' }), /cannot read the CA certificate "\/nonexistent\/ca.pem"/);
  assert.deepEqual(connectionFromEnv({ ES_URL: 'http://e:9200', ES_API_KEY: 'abc', ES_CA: '' }), { url: 'http://e:9200', apiKey: 'abc', username: undefined, password: undefined, caFile: undefined });
});

it('sends the API key, and says "check the API key" when the cluster answers 401', async () => {
  let auth: string | undefined;
  const server = createServer((req, res) => {
    auth = req.headers.authorization;
    res.writeHead(401, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(JSON.stringify({ error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials', root_cause: [] }, status: 401 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createEsClient({ url, apiKey: 'aWQ6a2V5', maxRetries: 0 });
  try {
    await assert.rejects(checkConnection(client, url), new RegExp(`cannot reach Elasticsearch at ${url}: HTTP 401 security_exception: unable to authenticate.*check the API key`));
    assert.equal(auth, 'ApiKey aWQ6a2V5');
  } finally {
    await client.close();
    server.close();
  }
});

it('names the URL and suggests what to check when nothing listens there', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r())); // the port is now free: nothing answers
  const url = `http://127.0.0.1:${port}`;
  const client = createEsClient({ url, maxRetries: 0 });
  try {
    await assert.rejects(checkConnection(client, url), /cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:\d+: .*is the URL right and the cluster up/);
  } finally {
    await client.close();
  }
});
