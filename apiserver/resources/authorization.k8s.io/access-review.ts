/**
 * What the access reviews share: turning a review's spec into the authorizer's
 * RequestAttributes (kube's ResourceAttributesFrom/NonResourceAttributesFrom), kube's
 * spec and metadata validation, and the status from a decision.
 */
import type { V1NonResourceAttributes, V1ResourceAttributes, V1SubjectAccessReviewSpec } from '@kubernetes/client-node';
import type { Decision } from '../../auth/authorizer.js';
import type { RequestAttributes } from '../../auth/request-attributes.js';
import type { UserInfo } from '../../auth/user.js';
import type { KubeObject, VirtualCreateCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { reviewReply } from '../authentication.k8s.io/virtual-kind.js';

export const GROUP = 'authorization.k8s.io';

/** the attribute part every access review's spec has */
export interface AttributesSpec {
  resourceAttributes?: V1ResourceAttributes;
  nonResourceAttributes?: V1NonResourceAttributes;
}

export const specOf = <T extends object>(body: KubeObject): T => ((body['spec'] ?? {}) as T);

/** The request the review asks about, as the authorizer would see it. */
export function attributesFor(spec: AttributesSpec, user: UserInfo): RequestAttributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      isResourceRequest: true,
      path: '',
      verb: r.verb ?? '',
      apiGroup: r.group ?? '',
      // kube: an empty version means every version
      apiVersion: r.version || '*',
      namespace: r.namespace ?? '',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, isResourceRequest: false, path: n.path ?? '', verb: n.verb ?? '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

/** kube's ValidateSelfSubjectAccessReviewSpec: exactly one kind of attributes. */
export function validateAttributes(spec: AttributesSpec): FieldError[] {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [fieldErrors.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [fieldErrors.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

/** kube's SubjectAccessReviewSpec rule: a subject to ask about. */
export function validateSubject(spec: V1SubjectAccessReviewSpec): FieldError[] {
  if (!spec.user && !(spec.groups ?? []).length) return [fieldErrors.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified')];
  return [];
}

/**
 * Reviews carry no metadata of their own: kube rejects any (null values, as a JSON
 * encoder writes an unset creationTimestamp, count as unset). `allowed` names fields a
 * kind may set (LocalSubjectAccessReview: its namespace).
 */
export function validateEmptyMetadata(body: KubeObject, allowed: readonly string[] = []): FieldError[] {
  const meta = Object.fromEntries(Object.entries(body.metadata ?? {}).filter(([k, v]) => v !== null && v !== undefined && !allowed.includes(k)));
  return Object.keys(meta).length > 0 ? [fieldErrors.invalid('metadata', meta, 'must be empty')] : [];
}

/** The user a SubjectAccessReview names. */
export function subjectOf(spec: V1SubjectAccessReviewSpec): UserInfo {
  return { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
}

/** SubjectAccessReviewStatus: allowed, and the reason when there is one (kube omits empty fields). */
export function reviewStatus(decision: Decision): { allowed: boolean; reason?: string } {
  return { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
}

export interface SubjectReviewRules {
  /** metadata fields the kind may carry besides managedFields */
  metadata?: readonly string[];
  /** the kind's own spec rules, after the shared ones */
  validate?: (spec: V1SubjectAccessReviewSpec) => FieldError[];
  /** checks after validation that answer 400 (LocalSubjectAccessReview's namespace) */
  check?: (spec: V1SubjectAccessReviewSpec) => void;
}

/** (Local)SubjectAccessReview: validate (422 as kube), then ask the authorizer about the spec's subject. */
export function answerSubjectReview({ def, body, services }: VirtualCreateCall, rules: SubjectReviewRules = {}) {
  const spec = specOf<V1SubjectAccessReviewSpec>(body);
  const errors = [...validateAttributes(spec), ...validateSubject(spec), ...validateEmptyMetadata(body, ['managedFields', ...(rules.metadata ?? [])]), ...(rules.validate?.(spec) ?? [])];
  if (errors.length > 0) throw apiErrors.invalid(def.kind, GROUP, '', errors);
  rules.check?.(spec);
  return reviewReply(def, body, reviewStatus(services.authorize(attributesFor(spec, subjectOf(spec)))));
}
