import t from 'tap';
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { buildServerServices } from '../../catalogue/server-services.js';
import { DEFAULT_ISSUER } from '../../auth/service-account-token.js';
import { ISSUED_AT, testServiceAccountTokens, tokenRequest } from '../../auth/test-service-account-tokens.js';
import { testContext, testServices } from '../core/strategy-harness.js';
import { authenticationResources } from './index.js';
import { postReview, statusOf, type PostOptions } from './post-review.js';
import { selfsubjectreviews, selfsubjectreviewsV1beta1 } from './selfsubjectreviews.js';
import { tokenreviews } from './tokenreviews.js';

const saTokens = testServiceAccountTokens();
const staticTokens = new Map([['good-token', { name: 'alice', uid: '1001', groups: ['devs'] }]]);
const services = buildServerServices({ tokens: staticTokens, serviceAccountTokens: saTokens }, saTokens);

const post = (def: ResourceDef, body: Record<string, unknown>, opts: PostOptions = {}) => postReview(def, body, { services, ...opts });

const review = (token: string, audiences?: string[]) => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenReview',
  metadata: { creationTimestamp: null },
  spec: { token, ...(audiences ? { audiences } : {}) },
});

t.test('the authentication.k8s.io kinds', async (t) => {
  t.same(authenticationResources.map((d) => `${d.version}/${d.plural}`), ['v1/selfsubjectreviews', 'v1/tokenreviews', 'v1beta1/selfsubjectreviews']);
  for (const def of authenticationResources) {
    t.match(def, { group: 'authentication.k8s.io', namespaced: false, verbs: ['create'] });
    t.type(def.virtualCreate, 'function');
  }
});

t.test('TokenReview of a service account token', async (t) => {
  const { token } = saTokens.issue(tokenRequest());
  t.match(await post(tokenreviews, review(token)), {
    code: 201,
    body: {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      spec: { token },
      status: {
        authenticated: true,
        audiences: [DEFAULT_ISSUER],
        user: {
          username: 'system:serviceaccount:default:builder',
          uid: 'sa-uid',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
          extra: { 'authentication.kubernetes.io/credential-id': [/^JTI=/] },
        },
      },
    },
  });
  const scoped = saTokens.issue(tokenRequest({ audiences: ['vault', 'nats'] })).token;
  t.match(await post(tokenreviews, review(scoped, ['nats'])), { body: { status: { authenticated: true, audiences: ['nats'] } } });
  t.match(await post(tokenreviews, review(scoped)), {
    body: { status: { user: {}, error: `[invalid bearer token, token audiences ["vault" "nats"] is invalid for the target audiences ["${DEFAULT_ISSUER}"]]` } },
  });
});

t.test('TokenReview of a static token and of an unknown one', async (t) => {
  t.match(await post(tokenreviews, review('good-token')), {
    body: { status: { authenticated: true, audiences: [DEFAULT_ISSUER], user: { username: 'alice', uid: '1001', groups: ['devs', 'system:authenticated'] } } },
  });
  const unknown = await post(tokenreviews, review('nope'));
  t.same(statusOf(unknown), { user: {} }, 'not authenticated, no error');
  t.match(unknown, { body: { metadata: { creationTimestamp: null } } });
  t.same(statusOf(await post(tokenreviews, review('good-token'), { services: testServices })), { user: {} }, 'a server without token authentication knows no token');
});

t.test('TokenReview: an expired token says why', async (t) => {
  const { token } = saTokens.issue(tokenRequest({ now: new Date(ISSUED_AT.getTime() - 7200_000) }));
  t.match(await post(tokenreviews, review(token)), { body: { status: { error: '[invalid bearer token, service account token has expired]' } } });
});

t.test('TokenReview: bad requests', async (t) => {
  t.equal(await post(tokenreviews, review('')), '400 token is required for TokenReview in authentication.k8s.io');
  t.equal(await post(tokenreviews, { spec: {} }), '400 token is required for TokenReview in authentication.k8s.io');
  t.equal(await post(tokenreviews, review('x'), { namespace: 'default' }), '400 namespace is not allowed on this type: default');
});

t.test('SelfSubjectReview answers with the caller, in the version asked', async (t) => {
  const ctx = { ...testContext(''), user: { name: 'system:serviceaccount:ns:sa', uid: 'u-1', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { scopes: ['a'] } } };
  for (const def of [selfsubjectreviews, selfsubjectreviewsV1beta1]) {
    t.same(await post(def, { apiVersion: `authentication.k8s.io/${def.version}`, kind: 'SelfSubjectReview', metadata: { name: 'ignored' } }, { ctx }), {
      code: 201,
      body: {
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${def.version}`,
        metadata: { creationTimestamp: '2026-01-01T12:00:00Z' },
        status: { userInfo: { username: 'system:serviceaccount:ns:sa', uid: 'u-1', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { scopes: ['a'] } } },
      },
    });
  }
  t.match(await post(selfsubjectreviews, {}, { ctx: testContext('') }), { body: { status: { userInfo: { username: 'admin', groups: ['system:masters'] } } } });
  const admin = statusOf(await post(selfsubjectreviews, {}, { ctx: testContext('') })) as { userInfo: object };
  t.same(Object.keys(admin.userInfo), ['username', 'groups'], 'no empty uid or extra');
});
