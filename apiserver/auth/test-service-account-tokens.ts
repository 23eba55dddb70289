/**
 * Test support (not a test file): a service account token issuer with a fresh ECDSA
 * P-256 key (what the cluster makes), made once per test process, and a token request.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServiceAccountTokens, type ServiceAccountTokens, type TokenIssueRequest } from './service-account-token.js';

let key: string | undefined;

/** a PEM private key, the same for every call in this process */
export function testSigningKey(): string {
  key ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return key;
}

export const testServiceAccountTokens = (): ServiceAccountTokens => createServiceAccountTokens(testSigningKey());

export const ISSUED_AT = new Date('2026-01-01T12:00:00Z');

/** a token request for default/builder (uid sa-uid), an hour, the API server's audience */
export const tokenRequest = (overrides: Partial<TokenIssueRequest> = {}): TokenIssueRequest => ({
  namespace: 'default',
  serviceAccount: { name: 'builder', uid: 'sa-uid' },
  audiences: ['https://kubernetes.default.svc.cluster.local'],
  expirationSeconds: 3600,
  now: ISSUED_AT,
  ...overrides,
});
