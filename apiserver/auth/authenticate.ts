/**
 * Authentication: who is calling. Kube's chain, in kube's order and with its rules:
 *
 *   1. a client certificate verified against the cluster CA: CN -> user, O -> groups
 *   2. `Authorization: Bearer <token>`: first the static token file, then service
 *      account JWTs from our own issuer (service-account-token.ts)
 *   3. nothing presented -> system:anonymous, if --anonymous is on; and always for the
 *      public health/version paths (as kube's anonymous "conditions" allow), so probes
 *      work without credentials
 *
 * The first method that succeeds wins. Credentials that are presented but wrong (an
 * unknown token, a certificate from another CA) mean 401 even with --anonymous: kube
 * never downgrades a failed login to anonymous. Every authenticated user also gets the
 * group system:authenticated.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { TLSSocket } from 'node:tls';
import { isPublicInfoPath } from './authorizer.js';
import { DEFAULT_ISSUER, type ServiceAccountTokens, type TokenOutcome } from './service-account-token.js';
import { anonymousUser, unsecuredUser, withAuthenticatedGroup, type UserInfo } from './user.js';

export type { TokenOutcome };

export interface AuthenticationOptions {
  /** static bearer tokens (--token-auth-file): token -> user */
  tokens?: ReadonlyMap<string, UserInfo>;
  /** --anonymous: requests without credentials proceed as system:anonymous (default false) */
  anonymous?: boolean;
  /** service account JWTs: bearer tokens our issuer signed */
  serviceAccountTokens?: Pick<ServiceAccountTokens, 'verify' | 'apiAudiences'>;
  /** clock for token expiry (tests); default the real one */
  now?: () => Date;
}

/** What authentication needs from a request: Fastify's `request.raw` satisfies it. */
export interface RequestCredentials {
  headers: IncomingHttpHeaders;
  socket: unknown;
}

export type AuthenticationResult =
  /** `method` is for the log: which authenticator said so */
  | { ok: true; user: UserInfo; method: 'x509' | 'token' | 'anonymous' | 'unsecured' }
  /** 401; `reason` goes to the log only, clients just see "Unauthorized" */
  | { ok: false; reason: string };

type Outcome = { user: UserInfo } | { error: string } | undefined;

/** Subject fields come back as a string, or an array when the field repeats. */
const values = (field: string | string[] | undefined): string[] => (field === undefined ? [] : Array.isArray(field) ? field : [field]);

// one TLS connection carries many requests; its certificate does not change
const byConnection = new WeakMap<TLSSocket, Outcome>();

function fromClientCertificate(socket: unknown): Outcome {
  if (!(socket instanceof TLSSocket)) return undefined; // plain HTTP, or app.inject()
  if (byConnection.has(socket)) return byConnection.get(socket);
  const cert = socket.getPeerCertificate();
  let outcome: Outcome;
  if (!cert || Object.keys(cert).length === 0) {
    outcome = undefined; // none presented
  } else if (!socket.authorized) {
    outcome = { error: `client certificate rejected: ${String(socket.authorizationError)}` };
  } else {
    const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
    const name = values(subject['CN'])[0] ?? '';
    outcome = name === '' ? { error: 'client certificate has an empty common name' } : { user: { name, groups: values(subject['O']) } };
  }
  byConnection.set(socket, outcome);
  return outcome;
}

/** kube's bearer-token parsing: "Bearer <token>", scheme case-insensitive, split on single spaces. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const [scheme, token] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !token) return undefined;
  return token;
}

/** the API server's own audiences: what a token must be meant for to log in here */
const apiAudiencesOf = (options: AuthenticationOptions | undefined): readonly string[] =>
  options?.serviceAccountTokens?.apiAudiences ?? [DEFAULT_ISSUER];

/**
 * kube's union of token authenticators, as a request and TokenReview both use it: the
 * static tokens, then service account JWTs. `audiences` empty means the API server's own.
 * Static tokens are not audience-aware: like kube, they count for the API server's
 * audiences only, and report those it shares with the request. System:authenticated is
 * not added here.
 */
export function authenticateToken(token: string, options: AuthenticationOptions | undefined, audiences: readonly string[] = [], now?: Date): TokenOutcome {
  const apiAudiences = apiAudiencesOf(options);
  const wanted = audiences.length > 0 ? audiences : apiAudiences;
  const user = options?.tokens?.get(token);
  if (user) {
    const shared = audiences.length > 0 ? wanted.filter((a) => apiAudiences.includes(a)) : [...apiAudiences];
    if (audiences.length === 0 || shared.length > 0) return { user: structuredClone(user), audiences: shared };
  }
  return options?.serviceAccountTokens?.verify(token, wanted, now ?? options.now?.() ?? new Date());
}

function fromToken(headers: IncomingHttpHeaders, options: AuthenticationOptions | undefined): Outcome {
  const token = bearerToken(headers);
  if (token === undefined) return undefined;
  const outcome = authenticateToken(token, options);
  if (outcome === undefined) return { error: 'invalid bearer token' };
  return 'error' in outcome ? { error: `invalid bearer token, ${outcome.error}` } : { user: outcome.user };
}

export type Authenticator = (request: RequestCredentials, path: string) => AuthenticationResult;

/**
 * `options` undefined means no authentication configured: a request without credentials
 * runs as system:unsecured in system:masters, as on kube's old insecure port. Only
 * in-process tests build the API server that way; startCluster always configures it.
 */
export function createAuthenticator(options: AuthenticationOptions | undefined): Authenticator {
  return (request, path) => {
    const errors: string[] = [];
    for (const [method, authenticate] of [
      ['x509', () => fromClientCertificate(request.socket)],
      ['token', () => fromToken(request.headers, options)],
    ] as const) {
      const outcome = authenticate();
      if (outcome === undefined) continue;
      if ('user' in outcome) return { ok: true, user: withAuthenticatedGroup(outcome.user), method };
      errors.push(outcome.error);
    }
    if (errors.length > 0) return { ok: false, reason: errors.join('; ') };
    if (options === undefined) return { ok: true, user: unsecuredUser(), method: 'unsecured' };
    if (options.anonymous || isPublicInfoPath(path)) return { ok: true, user: anonymousUser(), method: 'anonymous' };
    return { ok: false, reason: 'no credentials' };
  };
}
