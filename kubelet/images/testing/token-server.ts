/**
 * A small Bearer-token server for tests: what Docker Hub's auth.docker.io is to its
 * registry, for a docker-registry started by registry-harness.ts with `auth: token`.
 *
 *   GET  /token?service=S&scope=repository:x:pull[&scope=…]   (Basic credentials when users are set)
 *   POST /token  grant_type=refresh_token&refresh_token=R&service=S&scope=…   (docker's identity tokens)
 *   → {"token": JWT, "access_token": JWT, "expires_in": N, "issued_at": …}
 *
 * The JWT is what distribution 2.8 verifies (registry/auth/token/token.go): header
 * {typ, alg: ES256, x5c: [base64 DER of our cert]}, the cert being in the registry's
 * rootcertbundle; claims iss (the configured issuer), aud = service (a string in 2.8),
 * exp/nbf/iat (checked with 60 s leeway), jti, and access [{type, name, actions}].
 * ES256 signatures in a JWS are raw r||s, which WebCrypto produces as is.
 *
 * It counts token requests so tests can check that the client caches tokens.
 * Plain HTTP on 127.0.0.1 only: never reachable from elsewhere.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenServerOptions {
  service: string;
  issuer: string;
  /** username → password; when given, anonymous and wrong credentials get 401. */
  users?: Record<string, string>;
  /** refresh token → username, accepted by the POST refresh_token grant. */
  refreshTokens?: Record<string, string>;
  /** Lifetime of issued tokens (default 300 s). */
  expiresInSeconds?: number;
}

export interface TokenServer {
  /** http://127.0.0.1:PORT/token */
  realm: string;
  /** PEM of the self-signed certificate whose key signs the tokens (the registry's rootcertbundle). */
  rootCertPem: string;
  /** Tokens issued so far. */
  readonly issued: number;
  /** Token requests refused so far (bad or missing credentials). */
  readonly refused: number;
  stop(): Promise<void>;
}

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const { cert, keys } = await selfSignedCertificate();
  const certDer = Buffer.from(cert.rawData).toString('base64');
  const rootCertPem = cert.toString('pem');
  const lifetime = opts.expiresInSeconds ?? 300;
  let issued = 0;
  let refused = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
      return reply(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] });
    }
    let params = url.searchParams;
    let subject: string | undefined;
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      if (params.get('grant_type') !== 'refresh_token') {
        refused++;
        return reply(res, 400, { error: 'unsupported_grant_type' });
      }
      subject = opts.refreshTokens?.[params.get('refresh_token') ?? ''];
      if (subject === undefined) {
        refused++;
        return reply(res, 401, { error: 'invalid_grant' });
      }
    } else {
      const user = basicUser(req.headers.authorization, opts.users);
      if (user === null) {
        refused++;
        res.setHeader('WWW-Authenticate', 'Basic realm="k8ts-test-token"');
        return reply(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] });
      }
      subject = user;
    }
    const service = params.get('service') ?? opts.service;
    const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: opts.issuer,
      sub: subject ?? '',
      aud: service,
      exp: now + lifetime,
      nbf: now - 1,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access: scopes.flatMap(grantFor),
    };
    const token = await signJwt({ typ: 'JWT', alg: 'ES256', x5c: [certDer] }, claims, keys.privateKey);
    issued++;
    reply(res, 200, { token, access_token: token, expires_in: lifetime, issued_at: new Date(now * 1000).toISOString() });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    rootCertPem,
    get issued() {
      return issued;
    },
    get refused() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `repository:name:pull,push` → the access entry granting those actions (pull and push only). */
export function grantFor(scope: string): Array<{ type: string; name: string; actions: string[] }> {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return [];
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a === 'pull' || a === 'push');
  return type === 'repository' && actions.length > 0 ? [{ type, name, actions }] : [];
}

/** The user named by valid Basic credentials; undefined for anonymous when anyone may ask; null when refused. */
function basicUser(header: string | undefined, users: Record<string, string> | undefined): string | undefined | null {
  if (!header) return users ? null : undefined;
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (!users) return user;
  return Object.hasOwn(users, user) && users[user] === password ? user : null;
}

async function signJwt(header: object, claims: object, key: webcrypto.CryptoKey): Promise<string> {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = await webcrypto.subtle.sign(SIGNING, key, Buffer.from(signingInput));
  return `${signingInput}.${base64url(Buffer.from(signature))}`;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

async function selfSignedCertificate() {
  await import('reflect-metadata'); // @peculiar/x509's dependency injection needs it loaded first
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto);
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: `CN=k8ts-test-token-signer-${randomBytes(4).toString('hex')}`,
    notBefore: new Date(now - 5 * 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return { cert, keys };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
