/**
 * networking.k8s.io/v1 Ingress (kube's ValidateIngressCreate / ValidateIngressUpdate):
 * rules with (wildcard) DNS hosts and HTTP paths, each path with a pathType (Exact and
 * Prefix paths absolute and free of "//", "/./" …) and a backend; a defaultBackend when
 * there are no rules; TLS hosts and secret names; status holds load balancer addresses.
 *
 * Like kube's DefaultIngressClass admission plugin, a new Ingress without a class gets the
 * IngressClass annotated ingressclass.kubernetes.io/is-default-class=true (the newest, if
 * several are).
 */
import type { V1HTTPIngressPath, V1Ingress, V1IngressClass, V1IngressRule, V1IngressSpec } from '@kubernetes/client-node';
import { isIP } from 'node:net';
import { ALL_VERBS, type KubeObject, type Lifecycle, type LifecycleEnv, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { hostErrors, NOT_AN_IP, validateRuleHost } from './hosts.js';
import { validateIngressBackend } from './ingress-backend.js';
import { DEFAULT_INGRESS_CLASS_ANNOTATION } from './ingressclasses.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
/** the legacy annotation that names a class, before spec.ingressClassName existed */
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const specOf = (obj: KubeObject): V1IngressSpec => ((obj as V1Ingress).spec ?? {}) as V1IngressSpec;
const list = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

function validatePath(path: V1HTTPIngressPath, at: string): FieldError[] {
  if (!path.pathType) return [fieldErrors.required(`${at}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = path.path ?? '';
  const notAbsolute = () => fieldErrors.invalid(`${at}.path`, value, 'must be an absolute path');
  switch (path.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(notAbsolute());
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(fieldErrors.invalid(`${at}.path`, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(fieldErrors.invalid(`${at}.path`, value, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(notAbsolute());
      break;
    default:
      errs.push(fieldErrors.notSupported(`${at}.pathType`, path.pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(path.backend, `${at}.backend`));
  return errs;
}

function validateRule(rule: V1IngressRule, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.host) errs.push(...validateRuleHost(rule.host, `${at}.host`));
  if (rule.http) {
    const paths = list(rule.http.paths);
    if (!paths.length) errs.push(fieldErrors.required(`${at}.http.paths`));
    paths.forEach((p, i) => errs.push(...validatePath(p ?? {}, `${at}.http.paths[${i}]`)));
  }
  return errs;
}

function validateSpec(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const rules = list(spec.rules);
  if (!rules.length && !spec.defaultBackend) {
    // kube prints the Go value of the empty rule list
    const value = spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push({ type: 'FieldValueInvalid', field: 'spec', message: `Invalid value: ${value}: either \`defaultBackend\` or \`rules\` must be specified` });
  }
  if (spec.defaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => errs.push(...validateRule(rule ?? {}, `spec.rules[${i}]`)));
  list(spec.tls).forEach((tls, i) => {
    list(tls?.hosts).forEach((host, j) => {
      for (const msg of hostErrors(host)) errs.push(fieldErrors.invalid(`spec.tls[${i}].hosts[${j}]`, host, msg));
    });
    const secret = tls?.secretName;
    if (secret) for (const msg of dns1123Subdomain(secret)) errs.push(fieldErrors.invalid(`spec.tls[${i}].secretName`, secret, msg));
  });
  const className = spec.ingressClassName;
  if (className !== undefined && className !== null) for (const msg of dns1123Subdomain(className)) errs.push(fieldErrors.invalid('spec.ingressClassName', className, msg));
  return errs;
}

/** kube's ValidateIngressLoadBalancerStatus: addresses are IPs, hostnames DNS names */
function validateStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  list((obj as V1Ingress).status?.loadBalancer?.ingress).forEach((lb, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    if (lb?.ip && !isIP(lb.ip)) errs.push(fieldErrors.invalid(`${at}.ip`, lb.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    if (lb?.hostname) {
      for (const msg of dns1123Subdomain(lb.hostname)) errs.push(fieldErrors.invalid(`${at}.hostname`, lb.hostname, msg));
      if (isIP(lb.hostname)) errs.push(fieldErrors.invalid(`${at}.hostname`, lb.hostname, NOT_AN_IP));
    }
  });
  return errs;
}

function validateClassAnnotation(obj: KubeObject): FieldError[] {
  const annotation = obj.metadata.annotations?.[CLASS_ANNOTATION];
  const className = specOf(obj).ingressClassName;
  if (annotation === undefined || !className || annotation === className) return [];
  return [fieldErrors.invalid(`annotations.${CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified')];
}

/**
 * Objects being created: kube checks the legacy class annotation against
 * spec.ingressClassName only on create, and validate() does not otherwise know which it is.
 */
const creating = new WeakSet<KubeObject>();

export const ingressStrategy: Strategy = {
  prepareForCreate: (obj) => void creating.add(obj),
  validate: (obj) => [...validateSpec(obj), ...validateStatus(obj), ...(creating.has(obj) ? validateClassAnnotation(obj) : [])],
};

/** kube's DefaultIngressClass admission: a classless new Ingress gets the default class */
function ingressLifecycle(env: LifecycleEnv): Lifecycle {
  return {
    async beforeCreate(obj) {
      const spec = specOf(obj);
      if (spec.ingressClassName || obj.metadata.annotations?.[CLASS_ANNOTATION] !== undefined) return;
      const classDef = env.lookup({ group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' });
      if (!classDef) return;
      const defaults = ((await env.list(classDef)) as V1IngressClass[]).filter((c) => c.metadata?.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
      if (!defaults.length) return;
      const newest = defaults.reduce((a, b) => (String(b.metadata?.creationTimestamp ?? '') > String(a.metadata?.creationTimestamp ?? '') ? b : a));
      (obj as V1Ingress).spec = { ...spec, ingressClassName: newest.metadata?.name };
    },
  };
}

// ---- printing (kube's printIngress) ----

/** the first three hosts, "*" when no rule names one */
function hostsCell(obj: KubeObject): string {
  const rules = list(specOf(obj).rules);
  const max = 3;
  const hosts = rules.slice(0, max).map((r) => r?.host ?? '').filter(Boolean);
  if (!hosts.length) return '*';
  return rules.length > max ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** load balancer IPs or hostnames, sorted and de-duplicated, cut to 16 characters unless wide */
function addressCell(obj: KubeObject): string {
  const addresses = new Set(list((obj as V1Ingress).status?.loadBalancer?.ingress).map((lb) => lb?.ip || lb?.hostname || '').filter(Boolean));
  const text = [...addresses].sort().join(',');
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

export const ingresses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  shortNames: ['ing'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Ingress',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used by this Ingress', (o) => specOf(o).ingressClassName ?? '<none>'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule', hostsCell),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer', addressCell),
    column('Ports', 'string', 'Ports of TLS configurations that open', (o) => (list(specOf(o).tls).length ? '80, 443' : '80')),
    ageColumn,
  ],
  lifecycle: ingressLifecycle,
  strategy: ingressStrategy,
};
