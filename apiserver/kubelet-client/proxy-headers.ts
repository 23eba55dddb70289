/**
 * Which of a client's headers the API server passes on to a kubelet, and how a kubelet's
 * response head is written back to the client (kube's UpgradeAwareHandler). Pure, so the
 * rules are table-tested.
 *
 * Dropped on the way in, because they belong to the hop between the client and the API
 * server, or would hand the kubelet the client's own credentials:
 *   - hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Transfer-Encoding, Proxy-*,
 *     and any header the client's Connection header names);
 *   - Authorization, Cookie and Impersonate-*: the API server authenticated the client
 *     already, and the kubelet trusts the API server's own client certificate;
 *   - Host: it names the kubelet now.
 * An upgrade request gets `Connection: Upgrade` and its Upgrade header back (they are
 * hop-by-hop, but the kubelet must see them to switch protocols); Sec-WebSocket-* and
 * X-Stream-Protocol-Version pass unchanged, so the kubelet picks the subprotocol.
 */

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const CREDENTIALS = new Set(['authorization', 'cookie']);

export interface KubeletRequestHeaderOptions {
  /** host:port of the kubelet, for the Host header */
  host: string;
  /** the client's Upgrade header value when this is an upgrade request */
  upgrade?: string;
  /** the client's address, appended to X-Forwarded-For as kube does */
  forwardedFor?: string;
  /** the request's method: an upgrading POST says it has no body (see below) */
  method?: string;
}

/**
 * The headers for the kubelet, in the flat [name, value, name, value…] form of Node's
 * rawHeaders (which keeps repeated headers such as X-Stream-Protocol-Version apart).
 */
export function kubeletRequestHeaders(rawHeaders: readonly string[], options: KubeletRequestHeaderOptions): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') {
      for (const token of rawHeaders[i + 1]!.split(',')) named.add(token.trim().toLowerCase());
    }
  }
  named.delete('upgrade');
  const out: string[] = ['Host', options.host];
  let forwarded: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === 'host' || HOP_BY_HOP.has(lower) || CREDENTIALS.has(lower) || lower.startsWith('impersonate-') || named.has(lower)) continue;
    if (lower === 'x-forwarded-for') {
      forwarded = forwarded === undefined ? rawHeaders[i + 1]! : `${forwarded}, ${rawHeaders[i + 1]!}`;
      continue;
    }
    // an upgrade request carries no body of its own: what follows the head is the new protocol
    if (options.upgrade !== undefined && lower === 'content-length') continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  if (options.forwardedFor) forwarded = forwarded === undefined ? options.forwardedFor : `${forwarded}, ${options.forwardedFor}`;
  if (forwarded !== undefined) out.push('X-Forwarded-For', forwarded);
  if (options.upgrade !== undefined) {
    // without a length Node would frame a POST's (empty) body as chunked, and its final
    // "0\r\n\r\n" would reach the kubelet as the first bytes of the new protocol
    if (options.method !== undefined && options.method !== 'GET' && options.method !== 'HEAD') out.push('Content-Length', '0');
    out.push('Connection', 'Upgrade', 'Upgrade', options.upgrade);
  }
  return out;
}

/**
 * A kubelet's response head as bytes for the client's socket: the status line and the
 * headers as the kubelet sent them. `closeDelimited` (any answer but 101 to an upgrade
 * request) drops the framing headers and ends with `Connection: close`: Node has decoded a
 * chunked body already, and the connection ends after the body, which frames it.
 */
export function responseHead(statusCode: number, statusMessage: string, rawHeaders: readonly string[], closeDelimited: boolean): string {
  const lines = [`HTTP/1.1 ${statusCode} ${statusMessage || defaultReason(statusCode)}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    if (closeDelimited && (lower === 'connection' || lower === 'keep-alive' || lower === 'transfer-encoding')) continue;
    // a header value never contains a line break (Node rejects those), so this is safe
    lines.push(`${rawHeaders[i]!}: ${rawHeaders[i + 1]!}`);
  }
  if (closeDelimited) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Response headers for a plain (non-upgrade) proxied answer written through Node's ServerResponse. */
export function plainResponseHeaders(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    // the kubelet's hop headers do not apply to our hop; Content-Length stays true (Node
    // decodes a chunked body, and a length-framed one is passed unchanged)
    if (HOP_BY_HOP.has(lower)) continue;
    out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

const REASONS: Record<number, string> = { 101: 'Switching Protocols', 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };
const defaultReason = (code: number) => REASONS[code] ?? 'Unknown';

/** true when the client asked to switch protocols (Connection lists "upgrade" and Upgrade is set) */
export function upgradeOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const connection = headers.connection;
  const upgrade = headers.upgrade;
  const tokens = (Array.isArray(connection) ? connection.join(',') : connection ?? '').split(',').map((t) => t.trim().toLowerCase());
  if (!tokens.includes('upgrade') || typeof upgrade !== 'string' || upgrade === '') return undefined;
  return upgrade;
}
