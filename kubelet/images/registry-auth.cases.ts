import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { basicAuthorization, mergeScopes, parseTokenResponse, RegistryAuthenticator, repositoryScope } from './registry-auth.js';
import { formatRegistryErrors, parseRegistryErrors, statusLine } from './registry-error.js';
import { displayReference, manifestMediaType } from './registry-client.js';
import { grantFor } from './testing/token-server.js';

t.test('parseTokenResponse', async (t) => {
  const cases: Array<{ body: string; want: { token: string; lifetimeMs: number } | RegExp }> = [
    { body: '{"token":"a","expires_in":300}', want: { token: 'a', lifetimeMs: 300_000 } },
    { body: '{"access_token":"b","expires_in":120}', want: { token: 'b', lifetimeMs: 120_000 } },
    { body: '{"token":"a","access_token":"b"}', want: { token: 'a', lifetimeMs: 60_000 } },
    { body: '{"token":"c","expires_in":10}', want: { token: 'c', lifetimeMs: 60_000 } }, // raised to the minimum
    { body: '{"token":"","access_token":"d"}', want: { token: 'd', lifetimeMs: 60_000 } },
    { body: '{"expires_in":300}', want: /no token/ },
    { body: 'not json', want: /not JSON/ },
  ];
  for (const c of cases) {
    if (c.want instanceof RegExp) t.throws(() => parseTokenResponse(c.body, 60_000), c.want, c.body);
    else t.same(parseTokenResponse(c.body, 60_000), c.want, c.body);
  }
});

t.test('scopes', async (t) => {
  t.equal(repositoryScope('library/busybox', ['pull']), 'repository:library/busybox:pull');
  t.equal(repositoryScope('a', ['pull', 'push']), 'repository:a:pull,push');
  t.same(mergeScopes(['repository:a:pull'], undefined), ['repository:a:pull']);
  t.same(mergeScopes(['repository:a:pull'], 'repository:a:pull'), ['repository:a:pull']);
  t.same(mergeScopes(['repository:a:pull'], 'repository:b:pull repository:a:pull'), ['repository:a:pull', 'repository:b:pull']);
  t.same(grantFor('repository:team/app:pull,push,delete'), [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
  t.same(grantFor('repository:127.0.0.1:5000/x:pull'), [{ type: 'repository', name: '127.0.0.1:5000/x', actions: ['pull'] }]);
  t.same(grantFor('registry:catalog:*'), []);
});

t.test('basic authorization', async (t) => {
  t.equal(basicAuthorization('alice', 'p:w'), `Basic ${Buffer.from('alice:p:w').toString('base64')}`);
});

t.test('registry error formatting', async (t) => {
  const body = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: {} }, { code: 'DENIED' }] });
  t.same(parseRegistryErrors(body), [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }, { code: 'DENIED' }]);
  t.equal(formatRegistryErrors(parseRegistryErrors(body)), 'manifest unknown: manifest unknown; denied');
  t.same(parseRegistryErrors('<html>'), []);
  t.same(parseRegistryErrors('{"errors":"x"}'), []);
  t.equal(statusLine(401, 'Unauthorized'), '401 Unauthorized');
  t.equal(statusLine(404, ''), '404 Not Found');
});

t.test('references and media types', async (t) => {
  t.equal(displayReference('127.0.0.1:5000', 'busybox', 'nope'), '127.0.0.1:5000/busybox:nope');
  t.equal(displayReference('h', 'a/b', `sha256:${'0'.repeat(64)}`), `h/a/b@sha256:${'0'.repeat(64)}`);
  const doc = Buffer.from('{"mediaType":"application/vnd.oci.image.index.v1+json"}');
  t.equal(manifestMediaType('application/vnd.oci.image.manifest.v1+json; charset=utf-8', doc), 'application/vnd.oci.image.manifest.v1+json');
  t.equal(manifestMediaType('application/json', doc), 'application/vnd.oci.image.index.v1+json');
  t.equal(manifestMediaType(null, doc), 'application/vnd.oci.image.index.v1+json');
  t.equal(manifestMediaType(null, Buffer.from('{}')), undefined);
});

t.test('authenticator: Basic only when there is a password; no answer for unknown schemes', async (t) => {
  const anonymous = new RegistryAuthenticator();
  t.equal(await anonymous.answerChallenge('h', ['repository:a:pull'], [{ scheme: 'basic', params: { realm: 'r' } }]), undefined);
  t.equal(await anonymous.answerChallenge('h', ['repository:a:pull'], [{ scheme: 'negotiate', params: {} }]), undefined);
  const withCreds = new RegistryAuthenticator({ credentials: () => ({ username: 'u', password: 'p' }) });
  t.equal(withCreds.cachedAuthorization('h', []), undefined, 'nothing sent before the host asked');
  t.equal(await withCreds.answerChallenge('h', [], [{ scheme: 'basic', params: {} }]), basicAuthorization('u', 'p'));
  t.equal(withCreds.cachedAuthorization('h', []), basicAuthorization('u', 'p'), 'sent up front afterwards');
  t.equal(withCreds.cachedAuthorization('other', []), undefined, 'but only to that host');
});

t.test('authenticator: concurrent challenges share one token request; expiry on the clock', async (t) => {
  const clock = new FakeClock();
  let calls = 0;
  const fakeFetch = (async () => {
    calls++;
    return new Response(JSON.stringify({ token: `t${calls}`, expires_in: 90 }), { status: 200 });
  }) as typeof fetch;
  const auth = new RegistryAuthenticator({ fetch: fakeFetch, clock });
  const challenge = [{ scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/token', service: 's' } }];
  const scopes = ['repository:a:pull'];
  const [a, b] = await Promise.all([auth.answerChallenge('h', scopes, challenge), auth.answerChallenge('h', scopes, challenge)]);
  t.equal(calls, 1);
  t.equal(a, 'Bearer t1');
  t.equal(b, 'Bearer t1');
  t.equal(auth.cachedAuthorization('h', scopes), 'Bearer t1');
  t.equal(auth.cachedAuthorization('h', ['repository:b:pull']), undefined);
  clock.step(90_000);
  t.equal(auth.cachedAuthorization('h', scopes), undefined, 'expired');
});

t.test('authenticator: a realm that is not a URL is an error, not a crash', async (t) => {
  const auth = new RegistryAuthenticator();
  await t.rejects(auth.answerChallenge('h', [], [{ scheme: 'bearer', params: { realm: 'not a url' } }]), /invalid token realm/);
});
