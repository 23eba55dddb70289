import t from 'tap';
import { authenticateToken, bearerToken, createAuthenticator, type AuthenticationOptions } from './authenticate.js';
import { DEFAULT_ISSUER } from './service-account-token.js';
import { ISSUED_AT, testServiceAccountTokens, tokenRequest } from './test-service-account-tokens.js';

const tokens = new Map([
  ['good-token', { name: 'alice', uid: '1001', groups: ['devs'] }],
  ['admin-token', { name: 'root', uid: '0', groups: ['system:masters', 'system:authenticated'] }],
]);
// no TLS socket here (app.inject and plain HTTP look the same); certificates are tested over real TLS in auth-hooks.test.ts
const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, socket: {} });

const ALICE = { ok: true, method: 'token', user: { name: 'alice', uid: '1001', groups: ['devs', 'system:authenticated'] } };
const ANONYMOUS = { ok: true, method: 'anonymous', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
const UNAUTHORIZED = { ok: false };

// [title, options, Authorization header, path, expected]
const cases: Array<[string, AuthenticationOptions | undefined, string | undefined, string, object]> = [
  ['a known token', { tokens }, 'Bearer good-token', '/api', ALICE],
  ['the scheme is case-insensitive', { tokens }, 'bearer good-token', '/api', ALICE],
  ['an unknown token', { tokens }, 'Bearer nope', '/api', { ok: false, reason: 'invalid bearer token' }],
  ['an unknown token stays 401 with --anonymous', { tokens, anonymous: true }, 'Bearer nope', '/api', UNAUTHORIZED],
  ['an unknown token stays 401 on /healthz', { tokens }, 'Bearer nope', '/healthz', UNAUTHORIZED],
  ['a token but no token file', {}, 'Bearer good-token', '/api', UNAUTHORIZED],
  ['no credentials', { tokens }, undefined, '/api', { ok: false, reason: 'no credentials' }],
  ['not a bearer header: no credentials', { tokens }, 'Basic YTpi', '/api', UNAUTHORIZED],
  ['an empty bearer token: no credentials', { tokens }, 'Bearer ', '/api', UNAUTHORIZED],
  ['no credentials, --anonymous', { tokens, anonymous: true }, undefined, '/api/v1/pods', ANONYMOUS],
  ['no credentials on a public path', {}, undefined, '/healthz', ANONYMOUS],
  ['no credentials on /version', {}, undefined, '/version', ANONYMOUS],
  ['no credentials on a health sub-path', {}, undefined, '/healthz/etcd', UNAUTHORIZED],
  ['no authentication configured', undefined, undefined, '/api', { ok: true, method: 'unsecured', user: { name: 'system:unsecured', groups: ['system:masters', 'system:authenticated'] } }],
];

for (const [title, options, header, path, expected] of cases) {
  t.test(title, async (t) => {
    t.match(createAuthenticator(options)(request(header), path), expected);
  });
}

t.test('system:authenticated is not added twice', async (t) => {
  t.same(createAuthenticator({ tokens })(request('Bearer admin-token'), '/api'), {
    ok: true,
    method: 'token',
    user: { name: 'root', uid: '0', groups: ['system:masters', 'system:authenticated'] },
  });
});

t.test('bearerToken splits like kube', async (t) => {
  t.equal(bearerToken({ authorization: 'Bearer abc' }), 'abc');
  t.equal(bearerToken({ authorization: 'BEARER abc def' }), 'abc');
  t.equal(bearerToken({ authorization: 'Bearer  abc' }), undefined);
  t.equal(bearerToken({ authorization: 'Bearer' }), undefined);
  t.equal(bearerToken({}), undefined);
});

t.test('the token file user is not shared with requests', async (t) => {
  const result = createAuthenticator({ tokens })(request('Bearer good-token'), '/api');
  if (!result.ok) return t.fail('not authenticated');
  result.user.groups.push('mutated');
  t.same(tokens.get('good-token')!.groups, ['devs']);
});

t.test('service account tokens', async (t) => {
  const serviceAccountTokens = testServiceAccountTokens();
  const options: AuthenticationOptions = { tokens, serviceAccountTokens, now: () => ISSUED_AT };
  const authenticate = createAuthenticator(options);
  const { token } = serviceAccountTokens.issue(tokenRequest());
  t.match(authenticate(request(`Bearer ${token}`), '/api'), {
    ok: true,
    method: 'token',
    user: {
      name: 'system:serviceaccount:default:builder',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    },
  });
  const expired = createAuthenticator({ ...options, now: () => new Date(ISSUED_AT.getTime() + 2 * 3600_000) });
  t.same(expired(request(`Bearer ${token}`), '/api'), { ok: false, reason: 'invalid bearer token, service account token has expired' });
  const elsewhere = serviceAccountTokens.issue(tokenRequest({ audiences: ['vault'] })).token;
  t.match(authenticate(request(`Bearer ${elsewhere}`), '/api'), { ok: false, reason: /token audiences \["vault"\] is invalid/ });
  t.match(authenticate(request('Bearer good-token'), '/api'), ALICE, 'static tokens still work beside them');
  t.match(createAuthenticator({ tokens })(request(`Bearer ${token}`), '/api'), { ok: false, reason: 'invalid bearer token' }, 'no verifier: not a known token');
});

t.test('authenticateToken (TokenReview): static tokens count for the API server\'s audiences only', async (t) => {
  const options: AuthenticationOptions = { tokens, serviceAccountTokens: testServiceAccountTokens() };
  t.same(authenticateToken('good-token', options), { user: tokens.get('good-token'), audiences: [DEFAULT_ISSUER] });
  t.same(authenticateToken('good-token', options, ['x', DEFAULT_ISSUER]), { user: tokens.get('good-token'), audiences: [DEFAULT_ISSUER] });
  t.equal(authenticateToken('good-token', options, ['vault']), undefined);
  t.equal(authenticateToken('nope', options), undefined);
  t.same(authenticateToken('good-token', { tokens }), { user: tokens.get('good-token'), audiences: [DEFAULT_ISSUER] }, 'the issuer is the default API audience');
  t.equal(authenticateToken('good-token', undefined), undefined);
});
