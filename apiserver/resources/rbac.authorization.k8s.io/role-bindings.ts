/**
 * What RoleBindings and ClusterRoleBindings share (kube's ValidateRoleBinding /
 * ValidateClusterRoleBinding and SetDefaults_*): roleRef names a Role or ClusterRole in
 * rbac.authorization.k8s.io and may never change; subjects are Users, Groups (apiGroup
 * rbac.authorization.k8s.io) or ServiceAccounts (apiGroup "", and a namespace when the
 * binding is cluster-wide). Also the ROLE and wide USERS/GROUPS/SERVICEACCOUNTS columns.
 */
import type { RbacV1Subject, V1RoleRef } from '@kubernetes/client-node';
import type { KubeObject, PrinterColumn, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain, pathSegmentName } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { RBAC_GROUP } from './policy-rules.js';

interface Binding {
  roleRef?: Partial<V1RoleRef>;
  subjects?: Array<Partial<RbacV1Subject>>;
}

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'] as const;

const subjectsOf = (obj: KubeObject): Array<Partial<RbacV1Subject>> => {
  const subjects = (obj as Binding).subjects;
  return Array.isArray(subjects) ? subjects.filter((s) => s && typeof s === 'object') : [];
};

/** kube's v1 defaults: roleRef.apiGroup and each subject's apiGroup from its kind */
function defaults(obj: KubeObject): void {
  const binding = obj as Binding;
  if (binding.roleRef && typeof binding.roleRef === 'object') binding.roleRef.apiGroup ||= RBAC_GROUP;
  for (const subject of subjectsOf(obj)) {
    if (subject.apiGroup) continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
    else if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
  }
}

function validateSubject(subject: Partial<RbacV1Subject>, namespaced: boolean, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = subject.name ?? '';
  const apiGroup = subject.apiGroup ?? '';
  if (!name) errs.push(fieldErrors.required(`${at}.name`));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name) for (const msg of dns1123Subdomain(name)) errs.push(fieldErrors.invalid(`${at}.name`, name, msg));
      if (apiGroup) errs.push(fieldErrors.notSupported(`${at}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(fieldErrors.required(`${at}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported(`${at}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldErrors.notSupported(`${at}.kind`, subject.kind ?? '', SUBJECT_KINDS));
  }
  return errs;
}

function validateBinding(obj: KubeObject, roleKinds: readonly string[], namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = (obj as Binding).roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!roleKinds.includes(ref.kind ?? '')) errs.push(fieldErrors.notSupported('roleRef.kind', ref.kind ?? '', roleKinds));
  if (!ref.name) errs.push(fieldErrors.required('roleRef.name'));
  else for (const msg of pathSegmentName(ref.name)) errs.push(fieldErrors.invalid('roleRef.name', ref.name, msg));
  subjectsOf(obj).forEach((subject, i) => errs.push(...validateSubject(subject, namespaced, `subjects[${i}]`)));
  return errs;
}

/** Go's %#v of rbac.RoleRef, as kube prints it in "cannot change roleRef" */
const goRoleRef = (ref: Partial<V1RoleRef>) =>
  `rbac.RoleRef{APIGroup:${JSON.stringify(ref.apiGroup ?? '')}, Kind:${JSON.stringify(ref.kind ?? '')}, Name:${JSON.stringify(ref.name ?? '')}}`;

function validateRoleRefUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const ref = (obj as Binding).roleRef ?? {};
  const before = (old as Binding).roleRef ?? {};
  if (ref.apiGroup === before.apiGroup && ref.kind === before.kind && ref.name === before.name) return [];
  return [{ type: 'FieldValueInvalid', field: 'roleRef', message: `Invalid value: ${goRoleRef(ref)}: cannot change roleRef` }];
}

/**
 * A binding kind's strategy. RoleBindings may name a Role or a ClusterRole (granted
 * within the namespace); ClusterRoleBindings only a ClusterRole.
 */
export function bindingStrategy(roleKinds: readonly string[], namespaced: boolean): Strategy {
  return {
    defaults,
    validate: (obj) => validateBinding(obj, roleKinds, namespaced),
    validateUpdate: validateRoleRefUpdate,
  };
}

/** kube's SubjectsStrings: users, groups and "namespace/name" service accounts */
function subjectNames(obj: KubeObject, kind: string): string {
  return subjectsOf(obj)
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name ?? ''}` : (s.name ?? '')))
    .join(', ');
}

/** NAME ROLE AGE, and with -o wide USERS GROUPS SERVICEACCOUNTS (kube's printRoleBinding) */
export const bindingColumns: PrinterColumn[] = [
  nameColumn,
  column('Role', 'string', 'Role indicates which role is bound.', (o) => {
    const ref = (o as Binding).roleRef;
    return `${ref?.kind ?? ''}/${ref?.name ?? ''}`;
  }),
  ageColumn,
  column('Users', 'string', 'Users in the roleBinding.', (o) => subjectNames(o, 'User'), 1),
  column('Groups', 'string', 'Groups in the roleBinding.', (o) => subjectNames(o, 'Group'), 1),
  column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding.', (o) => subjectNames(o, 'ServiceAccount'), 1),
];
