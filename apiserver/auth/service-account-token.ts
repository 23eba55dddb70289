/**
 * Service account tokens as kube-apiserver issues and checks them: JWTs signed with the
 * cluster's service account key (DATA_DIR/pki/sa.key; ES256 or RS256 by key type), with
 *
 *   iss  https://kubernetes.default.svc.cluster.local (kube's --service-account-issuer)
 *   sub  system:serviceaccount:NS:NAME
 *   aud  the requested audiences (default: the API server's own, the issuer)
 *   exp/iat/nbf, jti
 *   "kubernetes.io": {namespace, serviceaccount {name, uid}, pod|secret {name, uid}}
 *
 * A token authenticates as system:serviceaccount:NS:NAME in the groups
 * system:serviceaccounts and system:serviceaccounts:NS, with the service account's uid.
 * Checks follow kube's validator: issuer (other issuers' tokens are not ours: no
 * opinion), signature, a minute of clock leeway on exp/nbf/iat, and audiences. kube also
 * looks the service account (and bound pod/secret) up on every request; this verifier
 * runs synchronously in the request hook and cannot read the store, so a token outlives
 * a deleted service account until it expires.
 */
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, keyId, signatureValid, signJwt, type JwtClaims } from './jwt.js';
import type { UserInfo } from './user.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
const CLAIM = 'kubernetes.io';
/** go-jose's default leeway, which kube's validator uses */
const LEEWAY_SECONDS = 60;

export const serviceAccountUserName = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;
export const serviceAccountGroups = (namespace: string) => [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`];

/** The object a token is bound to: it is valid only while that object exists. */
export interface BoundObject {
  kind: 'Pod' | 'Secret';
  name: string;
  uid: string;
}

export interface TokenIssueRequest {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences: readonly string[];
  expirationSeconds: number;
  now: Date;
  boundObject?: BoundObject;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: Date;
}

/**
 * What a token authenticator says: undefined = not my token (no opinion), a user (and the
 * audiences it is valid for), or an error = my token, but not valid.
 */
export type TokenOutcome = { user: UserInfo; audiences: string[] } | { error: string } | undefined;

export interface ServiceAccountTokens {
  issuer: string;
  /** the API server's own audiences (kube's --api-audiences, default the issuer) */
  apiAudiences: readonly string[];
  issue(request: TokenIssueRequest): IssuedToken;
  /** check a bearer token meant for one of `audiences` at `now` */
  verify(token: string, audiences: readonly string[], now: Date): TokenOutcome;
}

export interface ServiceAccountTokenOptions {
  issuer?: string;
  apiAudiences?: readonly string[];
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Go's %q of a []string: ["a" "b"] */
const goQuoted = (list: readonly string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
const asRecord = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** exp/nbf/iat as go-jose checks them; an error message, or undefined when the times fit. */
function timeProblem(claims: JwtClaims, now: number): string | undefined {
  const { exp, nbf, iat } = claims;
  if (typeof exp !== 'number') return 'service account token has no expiration';
  if (now > exp + LEEWAY_SECONDS) return 'service account token has expired';
  if (typeof nbf === 'number' && now + LEEWAY_SECONDS < nbf) return 'service account token is not valid yet';
  if (typeof iat === 'number' && now + LEEWAY_SECONDS < iat) return 'service account token is issued in the future';
  return undefined;
}

/** The user a valid token's private claim names, or an error. */
function userOf(claims: JwtClaims): UserInfo | { error: string } {
  const k8s = asRecord(claims[CLAIM]);
  const namespace = asString(k8s['namespace']);
  const sa = asRecord(k8s['serviceaccount']);
  const name = asString(sa['name']);
  const uid = asString(sa['uid']);
  if (!namespace || !name || !uid) return { error: 'service account token claims could not be validated: incomplete kubernetes.io claim' };
  const username = serviceAccountUserName(namespace, name);
  if (claims['sub'] !== username) return { error: 'service account token claims could not be validated: sub does not match the service account' };
  const extra: Record<string, string[]> = {};
  const pod = asRecord(k8s['pod']);
  if (asString(pod['name'])) {
    extra['authentication.kubernetes.io/pod-name'] = [asString(pod['name'])];
    extra['authentication.kubernetes.io/pod-uid'] = [asString(pod['uid'])];
  }
  if (asString(claims['jti'])) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${asString(claims['jti'])}`];
  return { name: username, uid, groups: serviceAccountGroups(namespace), ...(Object.keys(extra).length ? { extra } : {}) };
}

export function createServiceAccountTokens(privateKeyPem: string, options: ServiceAccountTokenOptions = {}): ServiceAccountTokens {
  const privateKey: KeyObject = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const kid = keyId(publicKey);
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  const apiAudiences = options.apiAudiences ?? [issuer];

  const issue = (r: TokenIssueRequest): IssuedToken => {
    const iat = seconds(r.now);
    const exp = iat + r.expirationSeconds;
    const bound = r.boundObject ? { [r.boundObject.kind.toLowerCase()]: { name: r.boundObject.name, uid: r.boundObject.uid } } : {};
    // kube's claim order (Go marshals the merged claims map sorted by key)
    const claims: JwtClaims = {
      aud: [...r.audiences],
      exp,
      iat,
      iss: issuer,
      jti: randomUUID(),
      [CLAIM]: { namespace: r.namespace, ...bound, serviceaccount: { name: r.serviceAccount.name, uid: r.serviceAccount.uid } },
      nbf: iat,
      sub: serviceAccountUserName(r.namespace, r.serviceAccount.name),
    };
    return { token: signJwt(claims, privateKey, kid), expirationTimestamp: new Date(exp * 1000) };
  };

  const verify = (token: string, audiences: readonly string[], now: Date): TokenOutcome => {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.claims['iss'] !== issuer) return undefined; // someone else's token, or no JWT
    if (!signatureValid(jwt, publicKey)) return { error: 'invalid signature' };
    const late = timeProblem(jwt.claims, seconds(now));
    if (late) return { error: late };
    const tokenAudiences = audiencesOf(jwt.claims['aud']);
    const shared = tokenAudiences.filter((a) => audiences.includes(a));
    if (shared.length === 0) return { error: `token audiences ${goQuoted(tokenAudiences)} is invalid for the target audiences ${goQuoted(audiences)}` };
    const user = userOf(jwt.claims);
    return 'error' in user ? user : { user, audiences: shared };
  };

  return { issuer, apiAudiences, issue, verify };
}
