/**
 * core/v1 ServiceAccount: metadata rules only (kube's ValidateServiceAccount checks the
 * name and nothing else); the references must at least be well-formed lists.
 * serviceaccounts/token (TokenRequest) issues tokens for it.
 */
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { createTokenRequest } from '../authentication.k8s.io/token-request.js';
import { ageColumn, column, nameColumn } from '../printing.js';

function validate(obj: KubeObject): FieldError[] {
  const sa = obj as V1ServiceAccount;
  const errs: FieldError[] = [];
  for (const field of ['secrets', 'imagePullSecrets'] as const) {
    const list = sa[field] as unknown;
    if (list !== undefined && !Array.isArray(list)) errs.push(fieldErrors.typeInvalid(field, list, 'must be an array'));
  }
  if (sa.automountServiceAccountToken !== undefined && typeof sa.automountServiceAccountToken !== 'boolean')
    errs.push(fieldErrors.typeInvalid('automountServiceAccountToken', sa.automountServiceAccountToken, 'must be a boolean'));
  return errs;
}

export const serviceAccountStrategy: Strategy = { validate };

export const serviceaccounts: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ServiceAccount',
  subresources: [
    { name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'], create: createTokenRequest },
  ],
  printerColumns: [
    nameColumn,
    column('Secrets', 'string', 'Number of secrets the service account references.', (o) =>
      ((o as V1ServiceAccount).secrets ?? []).length,
    ),
    ageColumn,
  ],
  strategy: serviceAccountStrategy,
};
