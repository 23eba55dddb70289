/**
 * Compact JWS (RFC 7515) with the two algorithms kube-apiserver signs service account
 * tokens with: RS256 for an RSA key, ES256 for an ECDSA P-256 key (the algorithm follows
 * the key, as in kube). node:crypto rather than a JOSE library: the authenticator runs
 * synchronously inside the request hook (auth-hooks.ts), and the libraries' verify
 * calls are Promise-only (WebCrypto underneath).
 *
 * Only what tokens need: sign a claims object, split a token, check its signature.
 * Anything malformed decodes to undefined ("not a JWT"), never throws.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [key: string]: unknown;
}

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  /** "header.payload" as received: what the signature covers */
  signingInput: string;
  signature: Buffer;
}

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * kube's key id: the unpadded base64url SHA-256 of the public key's DER (PKIX) form, so
 * anyone holding the public key can compute it.
 */
export function keyId(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('base64url');
}

/** The JWS algorithm a key signs with; JWS wants ECDSA signatures as raw r||s, not DER. */
function algorithmOf(key: KeyObject): { alg: string; dsaEncoding?: 'ieee-p1363' } {
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256' };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { alg: 'ES256', dsaEncoding: 'ieee-p1363' };
  throw new Error(`unsupported signing key: ${key.asymmetricKeyType ?? 'unknown'} (want RSA or ECDSA P-256)`);
}

export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid: string): string {
  const { alg, dsaEncoding } = algorithmOf(privateKey);
  const signingInput = `${encodeJson({ alg, kid })}.${encodeJson(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a compact JWS, or undefined when `token` is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, sig] = parts as [string, string, string];
  if (!BASE64URL.test(sig)) return undefined;
  const header = decodeJsonObject(head);
  const claims = decodeJsonObject(body);
  if (!header || !claims || typeof header['alg'] !== 'string') return undefined;
  return { header: header as JwtHeader, claims, signingInput: `${head}.${body}`, signature: Buffer.from(sig, 'base64url') };
}

/** True when the token says the key's algorithm (never "none") and the key signed it. */
export function signatureValid(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  try {
    const { alg, dsaEncoding } = algorithmOf(publicKey);
    if (jwt.header.alg !== alg) return false;
    return verify('sha256', Buffer.from(jwt.signingInput), dsaEncoding ? { key: publicKey, dsaEncoding } : publicKey, jwt.signature);
  } catch {
    return false;
  }
}
