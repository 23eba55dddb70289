/**
 * One registry HTTP exchange, with the parts every registry request shares: the scheme
 * (plain http only for hosts allowed it: loopback by default), the auth challenge retry
 * (registry-auth.ts), redirects followed by hand, and timeouts on an injected Clock.
 *
 * Why redirects by hand: blob GETs are often answered 307 to a storage host (S3, a CDN)
 * with a pre-signed URL. Our registry credentials must not travel there, so the
 * Authorization header is dropped whenever a redirect leaves the registry's host.
 *
 * Why an idle timeout for bodies rather than one for the whole request: a large layer
 * may take minutes to arrive, but a connection that stops sending is dead; the timer
 * restarts with every chunk.
 */
import type { Clock } from '../../client/clock.js';
import { realClock } from '../../client/clock.js';
import { isLoopbackRegistry } from './image-reference.js';
import { describeFetchError, type RegistryAuthenticator } from './registry-auth.js';
import { parseWwwAuthenticate } from './registry-challenge.js';
import { RegistryError } from './registry-error.js';

export interface RegistryTransportOptions {
  auth: RegistryAuthenticator;
  plainHttp?: (host: string) => boolean;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Time allowed for response headers, and between two chunks of a body. */
  timeoutMs?: number;
  userAgent?: string;
  maxRedirects?: number;
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 10;

export interface RegistryRequest {
  host: string;
  /** Path and query under the host, e.g. `/v2/library/busybox/manifests/latest`, or an absolute URL (upload Locations). */
  path: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Auth scopes this request needs (`repository:x:pull`). */
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** A response whose body has not been read yet; read it through body() so the idle timeout applies. */
export interface RegistryResponse {
  response: Response;
  /** The URL that answered (after redirects). */
  url: string;
  /** The body, chunk by chunk, aborting when the connection goes idle. */
  body(): AsyncIterable<Uint8Array>;
  /** The whole body; fails when it exceeds maxBytes. */
  bytes(maxBytes?: number): Promise<Buffer>;
  /** Releases the connection without reading the body. */
  discard(): Promise<void>;
}

export class RegistryTransport {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(private readonly opts: RegistryTransportOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.clock = opts.clock ?? realClock;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  }

  /** `http://host` or `https://host`. */
  origin(host: string): string {
    const plain = (this.opts.plainHttp ?? isLoopbackRegistry)(host);
    return `${plain ? 'http' : 'https'}://${host}`;
  }

  url(host: string, pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.origin(host)}${pathOrUrl}`;
  }

  /**
   * Sends the request; answers a 401 once through the authenticator, follows redirects.
   * Returns whatever status came last (the caller decides what is an error); throws
   * RegistryError only when no response came at all.
   */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    let authorization = this.opts.auth.cachedAuthorization(req.host, req.scopes);
    let answeredChallenge = false;
    for (;;) {
      const result = await this.followRedirects(req, authorization);
      if (result.response.status !== 401 || answeredChallenge) return result;
      const header = result.response.headers.get('www-authenticate');
      if (!header) return result;
      answeredChallenge = true;
      this.opts.auth.forget(req.host, req.scopes);
      const next = await this.opts.auth.answerChallenge(req.host, req.scopes, parseWwwAuthenticate(header));
      if (next === undefined || next === authorization) return result;
      await result.discard();
      authorization = next;
    }
  }

  private async followRedirects(req: RegistryRequest, authorization: string | undefined): Promise<RegistryResponse> {
    let url = new URL(this.url(req.host, req.path));
    const registryHost = url.host;
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...req.headers };
      if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
      // Credentials stay with the registry: never sent to a host a redirect points at.
      if (authorization !== undefined && url.host === registryHost) headers.Authorization = authorization;
      const result = await this.send(url, method, headers, body);
      const status = result.response.status;
      const location = result.response.headers.get('location');
      const isRedirect = status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
      if (!isRedirect || !location) return result;
      if (hop >= (this.opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) {
        await result.discard();
        throw new RegistryError(`stopped after ${hop} redirects: ${req.method} ${this.url(req.host, req.path)}`, status);
      }
      await result.discard();
      url = new URL(location, url);
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  private async send(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined): Promise<RegistryResponse> {
    const controller = new AbortController();
    const timeoutMs = this.timeoutMs;
    let cancelTimer = this.clock.setTimer(timeoutMs, () => controller.abort(new TimeoutError()));
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers,
        redirect: 'manual',
        signal: controller.signal,
        ...(body !== undefined ? { body } : {}),
      });
    } catch (err) {
      cancelTimer();
      throw new RegistryError(`${method} ${url.href}: ${describeFetchError(controller.signal.aborted ? controller.signal.reason : err)}`, 0);
    }
    cancelTimer();
    const clock = this.clock;
    const describe = `${method} ${url.href}`;
    const body_ = async function* (): AsyncIterable<Uint8Array> {
      if (!response.body) return;
      const reader = response.body.getReader();
      try {
        for (;;) {
          cancelTimer = clock.setTimer(timeoutMs, () => controller.abort(new TimeoutError()));
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await reader.read();
          } catch (err) {
            throw new RegistryError(`${describe}: reading body: ${describeFetchError(controller.signal.aborted ? controller.signal.reason : err)}`, 0);
          } finally {
            cancelTimer();
          }
          if (chunk.done) return;
          yield chunk.value;
        }
      } finally {
        // Stopped early (an error downstream, or the caller broke off): release the connection.
        reader.cancel().catch(() => undefined);
      }
    };
    return {
      response,
      url: url.href,
      body: body_,
      async bytes(maxBytes = Number.MAX_SAFE_INTEGER) {
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of body_()) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new RegistryError(`${describe}: response larger than ${maxBytes} bytes`, response.status);
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      },
      async discard() {
        await response.body?.cancel().catch(() => undefined);
      },
    };
  }
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor() {
    super('request timed out');
  }
}
