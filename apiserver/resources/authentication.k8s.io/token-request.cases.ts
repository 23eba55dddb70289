import t from 'tap';
import type { KubeObject, ResourceDef, SubresourceCall, SubresourceRegistry } from '../../catalogue/resource-def.js';
import type { ServerServices } from '../../catalogue/server-services.js';
import { decodeJwt } from '../../auth/jwt.js';
import { DEFAULT_ISSUER } from '../../auth/service-account-token.js';
import { testServiceAccountTokens } from '../../auth/test-service-account-tokens.js';
import { ApiError, apiErrors } from '../../errors/api-error.js';
import { pods } from '../core/pods.js';
import { serviceaccounts } from '../core/serviceaccounts.js';
import { testContext, testServices } from '../core/strategy-harness.js';
import { createTokenRequest } from './token-request.js';

const stored: Record<string, KubeObject> = {
  'serviceaccounts/builder': { metadata: { name: 'builder', namespace: 'default', uid: 'sa-uid' } },
  'pods/web-0': { metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid' } },
};
// the part of the generic registry the handler uses: get and lookup
const registry = {
  get: async (def: ResourceDef, _namespace: string, name: string) => {
    const obj = stored[`${def.plural}/${name}`];
    if (!obj) throw apiErrors.notFound({ group: def.group, resource: def.plural, name });
    return structuredClone(obj);
  },
  lookup: (gvk: { kind: string }) => (gvk.kind === 'Pod' ? pods : undefined),
} as unknown as SubresourceRegistry;

const services = { ...testServices, serviceAccountTokens: testServiceAccountTokens() };

const call = (body: Record<string, unknown>, name = 'builder', withServices: ServerServices = services): SubresourceCall => ({
  def: serviceaccounts,
  namespace: 'default',
  name,
  body: { metadata: {}, ...body } as KubeObject,
  ctx: testContext(),
  registry,
  services: withServices,
});

interface Reply {
  status: { token: string; expirationTimestamp: string };
}

/** the reply, or `code message` of the error it failed with */
async function post(c: SubresourceCall): Promise<{ code: number; body: Reply } | string> {
  try {
    return (await createTokenRequest(c)) as { code: number; body: Reply };
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.message}`;
    throw err;
  }
}

t.test('serviceaccounts lists the token subresource', async (t) => {
  t.match(serviceaccounts.subresources, [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }]);
});

t.test('an empty request: defaults, 201, a token for the service account', async (t) => {
  const r = await post(call({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }));
  if (typeof r === 'string') return t.fail(r);
  t.equal(r.code, 201);
  t.match(r.body, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: 'builder', namespace: 'default', creationTimestamp: '2026-01-01T12:00:00Z' },
    spec: { audiences: [DEFAULT_ISSUER], expirationSeconds: 3600 },
    status: { expirationTimestamp: '2026-01-01T13:00:00Z' },
  });
  t.match(decodeJwt(r.body.status.token)!.claims, { sub: 'system:serviceaccount:default:builder', 'kubernetes.io': { serviceaccount: { uid: 'sa-uid' } } });
});

t.test('audiences, expiry and a bound pod as asked', async (t) => {
  const r = await post(call({ spec: { audiences: ['vault'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-0' } } }));
  if (typeof r === 'string') return t.fail(r);
  t.match(decodeJwt(r.body.status.token)!.claims, { aud: ['vault'], 'kubernetes.io': { pod: { name: 'web-0', uid: 'pod-uid' } } });
  t.equal(r.body.status.expirationTimestamp, '2026-01-01T12:10:00Z');
});

// [title, body, service account name, expected error]
const failures: Array<[string, Record<string, unknown>, string, string | RegExp]> = [
  ['no such service account', {}, 'nobody', '404 serviceaccounts "nobody" not found'],
  ['under ten minutes', { spec: { expirationSeconds: 599 } }, 'builder', '422 TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'],
  ['over 2^32 seconds', { spec: { expirationSeconds: 2 ** 32 + 1 } }, 'builder', /422 .*may not specify a duration larger than 2\^32 seconds/],
  ['a name that is not the URL\'s', { metadata: { name: 'other' } }, 'builder', '422 TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified'],
  ['a namespace that is not the URL\'s', { metadata: { namespace: 'kube-system' } }, 'builder', /422 .*metadata\.namespace: Invalid value: "kube-system": must match the service account namespace if specified/],
  ['a bound pod that does not exist', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } } }, 'builder', '404 pods "gone" not found'],
  ['a bound pod with another uid', { spec: { boundObjectRef: { kind: 'Pod', name: 'web-0', uid: 'old' } } }, 'builder', /^409 Operation cannot be fulfilled on Pod "web-0": the UID in the bound object reference \(old\) does not match/],
  ['a kind tokens cannot be bound to', { spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n' } } }, 'builder', '400 cannot bind token for serviceaccount "builder" to object of kind "/v1, Kind=Node"'],
  ['a Pod of another group', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'example.com/v1', name: 'p' } } }, 'builder', /^400 .*"example\.com\/v1, Kind=Pod"/],
];
for (const [title, body, name, expected] of failures) {
  t.test(title, async (t) => {
    t.match(await post(call(body, name)), expected);
  });
}

t.test('without an issuer the subresource is not served', async (t) => {
  t.equal(await post(call({}, 'builder', testServices)), '404 the server could not find the requested resource');
});
