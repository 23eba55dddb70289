/**
 * networking.k8s.io/v1 NetworkPolicy (kube's ValidateNetworkPolicy and v1 defaults): a
 * podSelector (empty selects every pod in the namespace), ingress/egress rules of ports
 * (protocol defaults to TCP; a numeric port may open a range up to endPort) and peers
 * (pods, namespaces, or an ipBlock whose exceptions lie strictly inside its CIDR), and
 * policyTypes, which default to Ingress, plus Egress when egress rules are given.
 */
import type { V1IPBlock, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1NetworkPolicySpec } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { formatLabelSelector, validateLabelSelector } from '../../selectors/label-selector.js';
import { portName, portNumber } from '../../validation/names.js';
import { PROTOCOLS } from '../../validation/ports.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { cidrContains, CIDR_DETAIL, parseCIDR } from './cidr.js';

const POLICY_TYPES = ['Ingress', 'Egress'] as const;
/** kube lists the protocols in this order in its message */
const PROTOCOL_ORDER = ['TCP', 'UDP', 'SCTP'];

const specOf = (obj: KubeObject): V1NetworkPolicySpec => ((obj as V1NetworkPolicy).spec ?? {}) as V1NetworkPolicySpec;
const list = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

function defaults(obj: KubeObject): void {
  const spec = (obj as V1NetworkPolicy).spec;
  if (!spec || typeof spec !== 'object') return;
  for (const rule of [...list(spec.ingress), ...list(spec.egress)]) for (const port of list(rule?.ports)) if (port && typeof port === 'object') port.protocol ??= 'TCP';
  if (!list(spec.policyTypes).length) spec.policyTypes = list(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function validatePort(port: V1NetworkPolicyPort, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && port.protocol !== null && !(PROTOCOLS as readonly string[]).includes(port.protocol))
    errs.push(fieldErrors.notSupported(`${at}.protocol`, port.protocol, PROTOCOL_ORDER));
  const { port: p, endPort } = port;
  const hasEnd = endPort !== undefined && endPort !== null;
  if (typeof p === 'number') {
    for (const msg of portNumber(p)) errs.push(fieldErrors.invalid(`${at}.port`, p, msg));
    if (hasEnd) {
      if (endPort < p) errs.push(fieldErrors.invalid(`${at}.endPort`, endPort, 'must be greater than or equal to `port`'));
      for (const msg of portNumber(endPort)) errs.push(fieldErrors.invalid(`${at}.endPort`, endPort, msg));
    }
  } else if (typeof p === 'string') {
    if (hasEnd) errs.push(fieldErrors.invalid(`${at}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of portName(p)) errs.push(fieldErrors.invalid(`${at}.port`, p, msg));
  } else if (hasEnd) {
    errs.push(fieldErrors.invalid(`${at}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(block: V1IPBlock, at: string): FieldError[] {
  if (!block.cidr) return [fieldErrors.required(`${at}.cidr`)];
  const cidr = parseCIDR(block.cidr);
  if (!cidr) return [fieldErrors.invalid(`${at}.cidr`, block.cidr, CIDR_DETAIL)];
  const errs: FieldError[] = [];
  list(block.except).forEach((text, i) => {
    const except = parseCIDR(text);
    if (!except) errs.push(fieldErrors.invalid(`${at}.except[${i}]`, text, CIDR_DETAIL));
    else if (!cidrContains(cidr, except)) errs.push(fieldErrors.invalid(`${at}.except[${i}]`, text, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: V1NetworkPolicyPeer, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const given = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter(Boolean).length;
  if (peer.podSelector) errs.push(...validateLabelSelector(peer.podSelector, `${at}.podSelector`));
  if (peer.namespaceSelector) errs.push(...validateLabelSelector(peer.namespaceSelector, `${at}.namespaceSelector`));
  if (peer.ipBlock) errs.push(...validateIPBlock(peer.ipBlock, `${at}.ipBlock`));
  if (given === 0) errs.push(fieldErrors.required(at, 'must specify a peer'));
  else if (given > 1 && peer.ipBlock) errs.push(fieldErrors.forbidden(at, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  const rules = (direction: 'ingress' | 'egress', peersKey: 'from' | 'to') =>
    list(spec[direction]).forEach((rule, i) => {
      const at = `spec.${direction}[${i}]`;
      const r = (rule ?? {}) as { ports?: V1NetworkPolicyPort[]; from?: V1NetworkPolicyPeer[]; to?: V1NetworkPolicyPeer[] };
      list(r.ports).forEach((port, j) => errs.push(...validatePort(port ?? {}, `${at}.ports[${j}]`)));
      list(r[peersKey]).forEach((peer, j) => errs.push(...validatePeer(peer ?? {}, `${at}.${peersKey}[${j}]`)));
    });
  rules('ingress', 'from');
  rules('egress', 'to');
  const types = list(spec.policyTypes);
  if (types.length > POLICY_TYPES.length) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.policyTypes', message: `Invalid value: []networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}: may not specify more than two policyTypes` });
    return errs;
  }
  types.forEach((type, i) => {
    if (!(POLICY_TYPES as readonly string[]).includes(type)) errs.push(fieldErrors.notSupported(`spec.policyTypes[${i}]`, type, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicyStrategy: Strategy = { defaults, validate };

export const networkpolicies: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  shortNames: ['netpol'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1NetworkPolicy',
  subresources: [],
  printerColumns: [
    nameColumn,
    // kube's FormatLabelSelector: "<none>" for the empty selector that selects every pod
    column('Pod-Selector', 'string', 'The selector of the pods the policy applies to.', (o) => formatLabelSelector(specOf(o).podSelector) || '<none>'),
    ageColumn,
  ],
  strategy: networkPolicyStrategy,
};
