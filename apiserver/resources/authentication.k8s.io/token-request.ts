/**
 * serviceaccounts/token: TokenRequest (authentication.k8s.io/v1), what `kubectl create
 * token` posts. Follows kube's token REST: name/namespace in the body must match the URL;
 * the service account must exist (404); audiences default to the API server's;
 * expirationSeconds defaults to an hour and must be 10 minutes .. 2^32 seconds (422); a
 * boundObjectRef must name an existing Pod or Secret (404), with a matching uid if it
 * gives one (409), and the token records that object. Replies 201 with status.token and
 * status.expirationTimestamp; nothing is stored.
 */
import type { AuthenticationV1TokenRequest, V1BoundObjectReference } from '@kubernetes/client-node';
import type { KubeObject, SubresourceCall } from '../../catalogue/resource-def.js';
import type { BoundObject } from '../../auth/service-account-token.js';
import { apiErrors } from '../../errors/api-error.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { rfc3339 } from '../../registry/generic-registry.js';

const GROUP = 'authentication.k8s.io';
const DEFAULT_EXPIRATION_SECONDS = 60 * 60;
const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

type TokenRequestSpec = Partial<AuthenticationV1TokenRequest['spec']>;

function validateSpec(spec: TokenRequestSpec): FieldError[] {
  const seconds = spec.expirationSeconds as unknown;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) return [fieldErrors.typeInvalid('spec.expirationSeconds', seconds, 'must be an integer')];
  if (seconds < MIN_EXPIRATION_SECONDS) return [fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')];
  if (seconds > MAX_EXPIRATION_SECONDS) return [fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

/** Go's GroupVersionKind.String(): "/v1, Kind=Node" */
function gvkString(ref: V1BoundObjectReference): string {
  const apiVersion = ref.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return `${group}/${version}, Kind=${ref.kind ?? ''}`;
}

/** The bound object as it is stored now, checked against the reference. */
async function boundObject(call: SubresourceCall, ref: V1BoundObjectReference): Promise<BoundObject> {
  const kind = ref.kind;
  const inCore = !ref.apiVersion || ref.apiVersion === 'v1';
  const def = inCore && (kind === 'Pod' || kind === 'Secret') ? call.registry.lookup({ group: '', version: 'v1', kind }) : undefined;
  if (!def || (kind !== 'Pod' && kind !== 'Secret')) {
    throw apiErrors.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(call.name)} to object of kind ${JSON.stringify(gvkString(ref))}`);
  }
  const name = ref.name ?? '';
  const stored = await call.registry.get(def, call.namespace, name);
  const uid = stored.metadata.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw apiErrors.conflict(
      { group: '', resource: kind, name },
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind, name, uid };
}

export async function createTokenRequest(call: SubresourceCall): Promise<{ code: number; body: unknown }> {
  const { def, namespace, name, body, ctx, registry, services } = call;
  const tokens = services.serviceAccountTokens;
  // kube registers serviceaccounts/token only when it has an issuer
  if (!tokens) throw apiErrors.notFoundPath();
  const meta = body.metadata ?? {};
  if (meta.name && meta.name !== name) {
    throw apiErrors.invalid('TokenRequest', GROUP, name, [fieldErrors.invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw apiErrors.invalid('TokenRequest', GROUP, name, [fieldErrors.invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const sa = await registry.get(def, namespace, name);

  const given = (body['spec'] ?? {}) as TokenRequestSpec;
  const spec: TokenRequestSpec = {
    ...given,
    audiences: given.audiences?.length ? given.audiences : [...tokens.apiAudiences],
    expirationSeconds: given.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
  };
  const errors = validateSpec(spec);
  if (errors.length > 0) throw apiErrors.invalid('TokenRequest', GROUP, '', errors);
  const bound = spec.boundObjectRef ? await boundObject(call, spec.boundObjectRef) : undefined;

  const issued = tokens.issue({
    namespace,
    serviceAccount: { name, uid: sa.metadata.uid ?? '' },
    audiences: spec.audiences ?? [],
    expirationSeconds: spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
    now: ctx.now,
    ...(bound ? { boundObject: bound } : {}),
  });
  const reply: KubeObject = {
    kind: 'TokenRequest',
    apiVersion: `${GROUP}/v1`,
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(ctx.now) },
    spec,
    status: { token: issued.token, expirationTimestamp: rfc3339(issued.expirationTimestamp) },
  };
  return { code: 201, body: reply };
}
