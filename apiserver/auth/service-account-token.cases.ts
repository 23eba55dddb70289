import t from 'tap';
import { createServiceAccountTokens, DEFAULT_ISSUER } from './service-account-token.js';
import { decodeJwt, signJwt, keyId } from './jwt.js';
import { ISSUED_AT, testServiceAccountTokens, testSigningKey, tokenRequest } from './test-service-account-tokens.js';
import { createPrivateKey, createPublicKey } from 'node:crypto';

const tokens = testServiceAccountTokens();
const API = [DEFAULT_ISSUER];
const later = (seconds: number) => new Date(ISSUED_AT.getTime() + seconds * 1000);
const BUILDER = { name: 'system:serviceaccount:default:builder', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:default'] };

t.test('issued tokens carry kube\'s claims', async (t) => {
  const { token, expirationTimestamp } = tokens.issue(tokenRequest());
  t.equal(expirationTimestamp.toISOString(), '2026-01-01T13:00:00.000Z');
  const jwt = decodeJwt(token)!;
  t.same(Object.keys(jwt.header), ['alg', 'kid']);
  t.equal(jwt.header.alg, 'ES256');
  const iat = ISSUED_AT.getTime() / 1000;
  t.match(jwt.claims, {
    aud: API,
    exp: iat + 3600,
    iat,
    nbf: iat,
    iss: DEFAULT_ISSUER,
    jti: /^[0-9a-f-]{36}$/,
    sub: 'system:serviceaccount:default:builder',
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid' } },
  });
  t.same(Object.keys(jwt.claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub'], 'sorted as kube marshals them');
});

t.test('a token verifies as its service account', async (t) => {
  const { token } = tokens.issue(tokenRequest());
  const outcome = tokens.verify(token, API, later(10));
  if (!outcome || !('user' in outcome)) return t.fail(`not authenticated: ${JSON.stringify(outcome)}`);
  t.match(outcome.user, { ...BUILDER, extra: { 'authentication.kubernetes.io/credential-id': [/^JTI=/] } });
  t.same(outcome.audiences, API);
});

t.test('a token bound to a pod names it in its claims and the user extra', async (t) => {
  const { token } = tokens.issue(tokenRequest({ boundObject: { kind: 'Pod', name: 'web-0', uid: 'pod-uid' } }));
  t.match(decodeJwt(token)!.claims, { 'kubernetes.io': { pod: { name: 'web-0', uid: 'pod-uid' } } });
  t.match(tokens.verify(token, API, ISSUED_AT), {
    user: { extra: { 'authentication.kubernetes.io/pod-name': ['web-0'], 'authentication.kubernetes.io/pod-uid': ['pod-uid'] } },
  });
  const secret = tokens.issue(tokenRequest({ boundObject: { kind: 'Secret', name: 's', uid: 'secret-uid' } })).token;
  t.match(decodeJwt(secret)!.claims, { 'kubernetes.io': { secret: { name: 's', uid: 'secret-uid' } } });
});

// [title, issue overrides, verify audiences, seconds after issue, expected]
const checks: Array<[string, Parameters<typeof tokenRequest>[0], string[], number, object | undefined]> = [
  ['within the minute of leeway after expiry', {}, API, 3600 + 60, { user: BUILDER }],
  ['expired', {}, API, 3600 + 61, { error: 'service account token has expired' }],
  ['issued in the future', {}, API, -120, { error: 'service account token is not valid yet' }],
  ['another audience than the one asked for', { audiences: ['vault'] }, API, 0, { error: `token audiences ["vault"] is invalid for the target audiences ["${DEFAULT_ISSUER}"]` }],
  ['one of several audiences', { audiences: ['vault', 'nats'] }, ['nats', 'x'], 0, { user: BUILDER, audiences: ['nats'] }],
];
for (const [title, overrides, audiences, after, expected] of checks) {
  t.test(title, async (t) => {
    t.match(tokens.verify(tokens.issue(tokenRequest(overrides)).token, audiences, later(after)), expected);
  });
}

t.test('tokens that are not ours get no opinion; ours with a bad signature are errors', async (t) => {
  t.equal(tokens.verify('good-token', API, ISSUED_AT), undefined, 'not a JWT');
  const stranger = createServiceAccountTokens(testSigningKey(), { issuer: 'https://elsewhere' });
  t.equal(tokens.verify(stranger.issue(tokenRequest()).token, API, ISSUED_AT), undefined, 'another issuer');
  const [head, body] = tokens.issue(tokenRequest()).token.split('.');
  t.same(tokens.verify(`${head}.${body}.AAAA`, API, ISSUED_AT), { error: 'invalid signature' });
});

t.test('signed by us but without the service account claims', async (t) => {
  const key = createPrivateKey(testSigningKey());
  const sign = (claims: Record<string, unknown>) => signJwt({ iss: DEFAULT_ISSUER, aud: API, exp: 2e9, ...claims }, key, keyId(createPublicKey(key)));
  t.match(tokens.verify(sign({ sub: 'x' }), API, ISSUED_AT), { error: /incomplete kubernetes.io claim/ });
  const k8s = { namespace: 'default', serviceaccount: { name: 'builder', uid: 'u' } };
  t.match(tokens.verify(sign({ sub: 'system:serviceaccount:default:other', 'kubernetes.io': k8s }), API, ISSUED_AT), { error: /sub does not match/ });
  t.match(tokens.verify(sign({ exp: undefined, sub: 'x' }), API, ISSUED_AT), { error: 'service account token has no expiration' });
  t.match(tokens.verify(sign({ aud: DEFAULT_ISSUER, sub: 'system:serviceaccount:default:builder', 'kubernetes.io': k8s }), API, ISSUED_AT), { user: { name: 'system:serviceaccount:default:builder' } }, 'aud as a string');
});

t.test('the API audiences default to the issuer', async (t) => {
  t.same(tokens.apiAudiences, [DEFAULT_ISSUER]);
  t.same(createServiceAccountTokens(testSigningKey(), { issuer: 'https://x' }).apiAudiences, ['https://x']);
});
