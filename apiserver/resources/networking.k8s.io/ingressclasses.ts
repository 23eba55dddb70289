/**
 * networking.k8s.io/v1 IngressClass (kube's ValidateIngressClass): the controller that
 * implements the class, a domain-prefixed path ("example.com/ingress-nginx") fixed once
 * created, and optional parameters — a typed reference whose scope (default Cluster) says
 * whether it names a namespace.
 */
import type { V1IngressClass, V1IngressClassParametersReference, V1IngressClassSpec } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Label, dns1123Subdomain } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { validateTypedReference } from './ingress-backend.js';

/** the annotation that makes a class the one new Ingresses get when they name none */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'] as const;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_REGEXP = new RegExp(`^${HTTP_PATH_FMT}$`);

const specOf = (obj: KubeObject): V1IngressClassSpec => ((obj as V1IngressClass).spec ?? {}) as V1IngressClassSpec;

/** kube's IsDomainPrefixedPath */
function validateController(controller: string): FieldError[] {
  const at = 'spec.controller';
  if (!controller) return [fieldErrors.required(at)];
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(fieldErrors.tooLong(at, MAX_CONTROLLER_LENGTH));
  const slash = controller.indexOf('/');
  const host = slash < 0 ? '' : controller.slice(0, slash);
  const path = slash < 0 ? '' : controller.slice(slash + 1);
  if (!host || !path) return [...errs, fieldErrors.invalid(at, controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  for (const msg of dns1123Subdomain(host)) errs.push(fieldErrors.invalid(at, host, msg));
  if (!HTTP_PATH_REGEXP.test(path)) errs.push(fieldErrors.invalid(at, path, `must be a valid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

function validateParameters(params: V1IngressClassParametersReference | undefined): FieldError[] {
  if (!params) return [];
  const at = 'spec.parameters';
  const errs = validateTypedReference(params, at);
  if (params.scope === undefined || params.scope === null) return [...errs, fieldErrors.required(`${at}.scope`)];
  if (!(SCOPES as readonly string[]).includes(params.scope)) return [...errs, fieldErrors.notSupported(`${at}.scope`, params.scope, SCOPES)];
  const namespace = params.namespace;
  if (params.scope === 'Namespace') {
    if (namespace === undefined || namespace === null) errs.push(fieldErrors.required(`${at}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of dns1123Label(namespace)) errs.push(fieldErrors.invalid(`${at}.namespace`, namespace, msg));
  } else if (namespace !== undefined && namespace !== null) {
    errs.push(fieldErrors.forbidden(`${at}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

export const ingressClassStrategy: Strategy = {
  defaults(obj) {
    const params = specOf(obj).parameters;
    if (params && typeof params === 'object') params.scope ??= 'Cluster';
  },
  validate: (obj) => [...validateController(specOf(obj).controller ?? ''), ...validateParameters(specOf(obj).parameters)],
  validateUpdate(obj, old) {
    const controller = specOf(obj).controller ?? '';
    return controller === (specOf(old).controller ?? '') ? [] : [fieldErrors.immutable('spec.controller', controller)];
  },
};

/** "Kind.apiGroup/name", as kube's printIngressClass shows parameters */
function parametersCell(obj: KubeObject): string {
  const p = specOf(obj).parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}`;
}

export const ingressclasses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1IngressClass',
  subresources: [],
  printerColumns: [
    nameColumn,
    column('Controller', 'string', 'Controller that is responsible for handling this class', (o) => specOf(o).controller ?? ''),
    column('Parameters', 'string', 'A reference to a resource with additional parameters', parametersCell),
    ageColumn,
  ],
  strategy: ingressClassStrategy,
};
