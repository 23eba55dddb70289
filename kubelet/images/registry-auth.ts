/**
 * The registry authentication challenge flow, as docker and containerd run it:
 *
 *   1. A request goes out anonymously (or with what this host accepted before).
 *   2. On 401 the registry names its scheme in WWW-Authenticate:
 *      - `Basic realm="…"` → send `Authorization: Basic base64(user:pass)` (imagePullSecrets).
 *      - `Bearer realm="R",service="S",scope="…"` → get a token from R:
 *          identityToken  → POST R, form grant_type=refresh_token (docker's OAuth2 refresh flow);
 *          registryToken  → use it as the bearer token as is, no round trip;
 *          user/password  → GET R?service=S&scope=… with Basic credentials;
 *          nothing        → GET R?service=S&scope=… anonymously (Docker Hub's public pulls).
 *        The answer's `token` (or `access_token`) is cached per (host, scopes) until
 *        `expires_in` (default 60 s) runs out, so a pull's many blob requests share one token.
 *   3. The request is retried once with that Authorization (the transport does this).
 *
 * Why per (host, scopes): a token grants exactly the scopes it was asked for; a pull token
 * for one repository must not be sent for another, or for a push.
 * Time comes from an injected Clock so expiry is testable without sleeping.
 */
import type { Clock } from '../../client/clock.js';
import { realClock } from '../../client/clock.js';
import type { AuthChallenge } from './registry-challenge.js';
import { RegistryError, unexpectedStatusError } from './registry-error.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (docker's `identitytoken`), traded at the realm for access tokens. */
  identityToken?: string;
  /** A bearer token to send as is (docker's `registrytoken`). */
  registryToken?: string;
}

export interface RegistryAuthOptions {
  credentials?: (host: string) => RegistryCredentials | undefined;
  fetch?: typeof fetch;
  clock?: Clock;
  userAgent?: string;
  /** Lifetime of a token whose answer has no expires_in (docker's and containerd's minimum). */
  defaultTokenLifetimeMs?: number;
  /** Timeout for one token request. */
  timeoutMs?: number;
  /** client_id sent with OAuth2 refresh-token grants. */
  clientId?: string;
}

export const DEFAULT_TOKEN_LIFETIME_MS = 60_000;

/** `repository:<name>:pull` and friends (distribution's resource scope grammar). */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** The token endpoint's answer (distribution token spec; OAuth2 servers say access_token). */
interface TokenResponse {
  token?: unknown;
  access_token?: unknown;
  expires_in?: unknown;
}

/** The token string and its lifetime from a token endpoint's JSON; throws when it has no token. */
export function parseTokenResponse(body: string, defaultLifetimeMs: number): { token: string; lifetimeMs: number } {
  let parsed: TokenResponse;
  try {
    parsed = JSON.parse(body) as TokenResponse;
  } catch {
    throw new Error('token response is not JSON');
  }
  const token =
    typeof parsed.token === 'string' && parsed.token !== ''
      ? parsed.token
      : typeof parsed.access_token === 'string' && parsed.access_token !== ''
        ? parsed.access_token
        : undefined;
  if (token === undefined) throw new Error('token response has no token');
  const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : 0;
  // Like docker: a lifetime shorter than the minimum is raised to it (servers that omit it mean "short").
  return { token, lifetimeMs: Math.max(expiresIn, defaultLifetimeMs) };
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
}

export class RegistryAuthenticator {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private readonly defaultLifetimeMs: number;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Hosts that asked for Basic: later requests send it up front, as docker does. */
  private readonly basicHosts = new Set<string>();

  constructor(private readonly opts: RegistryAuthOptions = {}) {
    this.fetchFn = opts.fetch ?? fetch;
    this.clock = opts.clock ?? realClock;
    this.defaultLifetimeMs = opts.defaultTokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
  }

  /** The Authorization to send before any challenge: a cached token or known Basic, else none. */
  cachedAuthorization(host: string, scopes: readonly string[]): string | undefined {
    const cached = this.tokens.get(cacheKey(host, scopes));
    if (cached && cached.expiresAt > this.clock.now()) return cached.authorization;
    if (cached) this.tokens.delete(cacheKey(host, scopes));
    if (this.basicHosts.has(host)) {
      const creds = this.opts.credentials?.(host);
      if (creds?.username !== undefined && creds.password !== undefined) return basicAuthorization(creds.username, creds.password);
    }
    return undefined;
  }

  /**
   * The Authorization answering a 401's challenges, or undefined when we have nothing to
   * answer with (Basic challenge and no password; no scheme we speak). Throws RegistryError
   * when a token endpoint refuses us.
   */
  async answerChallenge(host: string, scopes: readonly string[], challenges: readonly AuthChallenge[]): Promise<string | undefined> {
    const creds = this.opts.credentials?.(host);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
      const wanted = mergeScopes(scopes, bearer.params.scope);
      const key = cacheKey(host, scopes);
      let pending = this.inFlight.get(key);
      if (!pending) {
        pending = this.fetchToken(bearer.params, wanted, creds).then(({ token, lifetimeMs }) => {
          const authorization = `Bearer ${token}`;
          this.tokens.set(key, { authorization, expiresAt: this.clock.now() + lifetimeMs });
          return authorization;
        });
        const forget = () => this.inFlight.delete(key);
        pending.then(forget, forget);
        this.inFlight.set(key, pending);
      }
      return pending;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (creds?.username === undefined || creds.password === undefined) return undefined;
      this.basicHosts.add(host);
      return basicAuthorization(creds.username, creds.password);
    }
    return undefined;
  }

  /** Forgets a token the registry refused after all (e.g. revoked), so the next try fetches anew. */
  forget(host: string, scopes: readonly string[]): void {
    this.tokens.delete(cacheKey(host, scopes));
  }

  private async fetchToken(
    params: Record<string, string>,
    scopes: readonly string[],
    creds: RegistryCredentials | undefined,
  ): Promise<{ token: string; lifetimeMs: number }> {
    const realm = params.realm!;
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(`invalid token realm ${JSON.stringify(realm)} in WWW-Authenticate`, 0);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    let what: string;
    if (creds?.identityToken) {
      method = 'POST';
      what = 'oauth token';
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken });
      if (params.service) form.set('service', params.service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      form.set('client_id', this.opts.clientId ?? 'k8ts');
      body = form.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    } else {
      if (params.service) url.searchParams.set('service', params.service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      if (creds?.username !== undefined && creds.password !== undefined) {
        headers.Authorization = basicAuthorization(creds.username, creds.password);
        what = 'token';
      } else {
        what = 'anonymous token';
      }
    }
    const signal = this.opts.timeoutMs !== undefined ? AbortSignal.timeout(this.opts.timeoutMs) : undefined;
    let response: Response;
    try {
      response = await this.fetchFn(url, { method, headers, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      throw new RegistryError(`failed to fetch ${what}: ${method} ${url.href}: ${describeFetchError(err)}`, 0);
    }
    const text = await response.text();
    if (!response.ok) {
      const inner = unexpectedStatusError(method, url.href, response.status, response.statusText, text);
      throw new RegistryError(`failed to fetch ${what}: ${inner.message}`, response.status, inner.code);
    }
    try {
      return parseTokenResponse(text, this.defaultLifetimeMs);
    } catch (err) {
      throw new RegistryError(`failed to fetch ${what}: ${(err as Error).message}`, response.status);
    }
  }
}

/** Our scopes plus any the registry named in its challenge (space-separated), without duplicates. */
export function mergeScopes(ours: readonly string[], fromChallenge: string | undefined): string[] {
  const all = [...ours];
  for (const s of (fromChallenge ?? '').split(' ')) if (s !== '' && !all.includes(s)) all.push(s);
  return all;
}

function cacheKey(host: string, scopes: readonly string[]): string {
  return `${host} ${[...scopes].sort().join(' ')}`;
}

/** A fetch failure's cause, which undici hides one level down ("fetch failed" says nothing). */
export function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'request timed out';
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) return cause.message;
    return err.message;
  }
  return String(err);
}
