/**
 * What the standalone server checks before anything else. It listens on 127.0.0.1, but that alone
 * keeps out no web page the admin has open: a form on any site can POST to it (text/plain bodies
 * need no CORS preflight), and DNS rebinding points a site's own name at 127.0.0.1 so that its
 * script may read the answers. So, as Kibana does and more:
 *
 * - Host: every request must name the server as it listens: localhost, 127.0.0.1 or [::1] with
 *   its port, its own listen address, or a name given with --public-host. A rebinding page's
 *   requests carry the attacker's name: 403 (as webpack-dev-server and Vite answer).
 * - Origin: when a browser sends one, it must be this server (same host and port): 403.
 * - A token (random by default, printed at start): API calls present it as `Authorization: Bearer`
 *   or the cookie the page gets when opened with `?token=`; no token, 401.
 * - Writes (POST/PUT/DELETE/PATCH) need Kibana's `kbn-xsrf` header (400, Kibana's message), which a
 *   form cannot send, and a body must be `application/json` (415), which a form cannot send either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface StandaloneAuth {
  /** The secret callers present: `Authorization: Bearer <token>`, or the cookie `?token=<token>` sets. */
  token: string;
  /**
   * Other names the server answers to (behind a proxy, a LAN name): `name` (any port) or
   * `name:port`. Loopback names with the server's port and its listen address always work.
   */
  publicHosts?: string[];
}

/** A refusal: the status and message the server answers with. */
export interface Refusal {
  status: number;
  message: string;
}

export const XSRF_MESSAGE = 'Request must contain a kbn-xsrf header.';

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export class Guard {
  private readonly tokenDigest: Buffer;
  /** The cookie's value: derived from the token, so the browser never holds the token itself. */
  readonly cookieValue: string;
  private readonly anyPort = new Set<string>();
  private readonly exact = new Set<string>();

  constructor(auth: StandaloneAuth) {
    if (auth.token.length === 0) throw new Error('the standalone server needs a token');
    this.tokenDigest = digest(auth.token);
    this.cookieValue = createHash('sha256').update(`dfp-serve-cookie:${auth.token}`).digest('base64url');
    for (const h of auth.publicHosts ?? []) {
      const { name, port } = splitHost(h.trim().toLowerCase());
      if (port === undefined) this.anyPort.add(name);
      else this.exact.add(`${name}:${port}`);
    }
  }

  /** Cookies are per host, not per port: each server's cookie is named after its port. */
  cookieName(req: IncomingMessage): string {
    return `dfp_serve_${req.socket.localPort ?? 0}`;
  }

  /** Host, then Origin: answered before authentication, so a rebinding page learns nothing. */
  checkAddress(req: IncomingMessage, listenAddress: string | undefined): Refusal | null {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.hostAllowed(host, req.socket.localPort ?? 0, listenAddress)) {
      return {
        status: 403,
        message: `Host "${req.headers.host ?? ''}" is not this server's address (it answers to localhost, 127.0.0.1 and [::1] on port ${req.socket.localPort}); a page on another site may be reaching it through DNS rebinding. Start it with --public-host NAME to allow another name.`,
      };
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let same = false;
      try {
        const o = new URL(origin);
        const h = splitHost(host);
        const defaultPort = o.protocol === 'https:' ? 443 : 80;
        same = (o.protocol === 'http:' || o.protocol === 'https:') && o.hostname === h.name && (o.port === '' ? defaultPort : Number(o.port)) === (h.port ?? defaultPort);
      } catch {
        same = false; // "null" (sandboxed pages, file: URLs) and anything unparseable
      }
      if (!same) return { status: 403, message: `Origin "${origin}" is not this server: requests from other sites' pages are refused` };
    }
    return null;
  }

  /** Whether the request carries the token (Bearer) or the cookie. */
  authenticated(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer (.+)$/i.exec(auth.trim());
      return m !== null && this.isToken(m[1]);
    }
    const cookie = cookiesOf(req).get(this.cookieName(req));
    return cookie !== undefined && safeEqual(digest(cookie), digest(this.cookieValue));
  }

  isToken(candidate: string): boolean {
    return safeEqual(digest(candidate), this.tokenDigest);
  }

  /** kbn-xsrf and a JSON body on writes, as Kibana asks of API callers. */
  checkWrite(req: IncomingMessage): Refusal | null {
    if (!WRITES.has(req.method ?? '')) return null;
    if (req.headers['kbn-xsrf'] === undefined) return { status: 400, message: XSRF_MESSAGE };
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (hasBody && type !== 'application/json') {
      return { status: 415, message: `request bodies must be JSON sent as content-type: application/json; got ${type ? type : 'no content type'}` };
    }
    return null;
  }

  setCookieHeader(req: IncomingMessage): string {
    return `${this.cookieName(req)}=${this.cookieValue}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private hostAllowed(host: string, port: number, listenAddress: string | undefined): boolean {
    if (host === '') return false;
    let parsed: { name: string; port: number | undefined };
    try {
      parsed = splitHost(host);
    } catch {
      return false;
    }
    const effectivePort = parsed.port ?? 80;
    if (this.anyPort.has(parsed.name) || this.exact.has(`${parsed.name}:${effectivePort}`)) return true;
    if (effectivePort !== port) return false;
    const own = new Set(['localhost', '127.0.0.1', '[::1]']);
    if (listenAddress && !['0.0.0.0', '::'].includes(listenAddress)) own.add(listenAddress.includes(':') ? `[${listenAddress}]` : listenAddress);
    return own.has(parsed.name);
  }
}

/** "name", "name:port", "[v6]" or "[v6]:port". */
function splitHost(host: string): { name: string; port: number | undefined } {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) throw new Error(`not a host: ${host}`);
  return { name: m[1], port: m[2] === undefined ? undefined : Number(m[2]) };
}

/** Cookie header → Map (names are untrusted strings: no plain-object lookups). */
function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
