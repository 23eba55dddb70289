/**
 * core/v1 Node: cluster-scoped. kube lets the kubelet create a Node with its status, keeps
 * status on main-resource updates and spec on /status updates, mirrors spec.podCIDR and
 * spec.podCIDRs, defaults allocatable to capacity, and validates taints and pod CIDRs with
 * the messages below. STATUS is "Ready", "NotReady" or "Unknown", plus
 * ",SchedulingDisabled" when cordoned; ROLES comes from node-role.kubernetes.io/* labels.
 */
import type { V1Node, V1NodeSpec, V1Taint } from '@kubernetes/client-node';
import { isIP } from 'node:net';
import { nodeProxyConnect } from '../../kubelet-client/node-proxy-location.js';
import { ALL_VERBS, type KubeObject, type PrinterColumn, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { labelValue, qualifiedName } from '../../validation/names.js';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../../validation/quantity.js';
import { ageColumn, nameColumn } from '../printing.js';
import { TAINT_EFFECTS } from './pods.js';

const asNode = (obj: KubeObject) => obj as unknown as V1Node;
const isObject = <T>(v: T): v is T & object => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);

const CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const POD_CIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid';

export function isCIDR(value: string): boolean {
  const [ip = '', bits, ...rest] = value.split('/');
  if (rest.length || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function validateTaints(taints: V1Taint[] | undefined, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(taints).forEach((taint, i) => {
    const p = `${at}[${i}]`;
    if (!isObject(taint)) return;
    const key = taint.key ?? '';
    for (const msg of qualifiedName(key)) errs.push(fieldErrors.invalid(`${p}.key`, key, msg));
    const valueErrors = labelValue(taint.value ?? '');
    if (valueErrors.length) errs.push(fieldErrors.invalid(`${p}.value`, taint.value, valueErrors.join(';')));
    if (!taint.effect) errs.push(fieldErrors.required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(taint.effect)) errs.push(fieldErrors.notSupported(`${p}.effect`, taint.effect, TAINT_EFFECTS));
    const pair = `${taint.effect}\u0000${key}`;
    if (seen.has(pair)) {
      const dup = fieldErrors.duplicate(p, taint);
      errs.push({ ...dup, message: `${dup.message}: taints must be unique by key and effect pair` });
    }
    seen.add(pair);
  });
  return errs;
}

function validateResourceList(list: Record<string, string> | undefined, at: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    for (const msg of qualifiedName(name)) errs.push(fieldErrors.invalid(`${at}[${name}]`, name, msg));
    const q = parseQuantity(value);
    if (!q) errs.push(fieldErrors.invalid(`${at}[${name}]`, value, QUANTITY_FORMAT_ERROR));
    else if (q.nano < 0n) errs.push(fieldErrors.invalid(`${at}[${name}]`, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const node = asNode(obj);
  const spec = (node.spec ?? {}) as V1NodeSpec;
  const errs: FieldError[] = [];
  const cidrs = arr(spec.podCIDRs);
  cidrs.forEach((cidr, i) => {
    if (!isCIDR(cidr)) errs.push(fieldErrors.invalid(`spec.podCIDRs[${i}]`, cidr, CIDR_DETAIL));
  });
  if (cidrs.length > 1) {
    const families = new Set(cidrs.map((c) => isIP(c.split('/')[0] ?? '')));
    if (cidrs.length > 2 || families.size !== cidrs.length)
      errs.push(fieldErrors.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  }
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  errs.push(...validateResourceList(node.status?.capacity, 'status.capacity'));
  errs.push(...validateResourceList(node.status?.allocatable, 'status.allocatable'));
  const addresses = new Set<string>();
  arr(node.status?.addresses).forEach((a, i) => {
    const key = JSON.stringify([a?.type, a?.address]);
    if (addresses.has(key)) errs.push(fieldErrors.duplicate(`status.addresses[${i}]`, a));
    addresses.add(key);
  });
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = asNode(obj).spec ?? {};
  const before = asNode(old).spec ?? {};
  const errs: FieldError[] = [];
  const oldCIDRs = arr(before.podCIDRs);
  const newCIDRs = arr(spec.podCIDRs);
  if (oldCIDRs.length > 0 && (newCIDRs.length < oldCIDRs.length || oldCIDRs.some((c, i) => c !== newCIDRs[i])))
    errs.push(fieldErrors.forbidden('spec.podCIDRs', POD_CIDR_CHANGE));
  if (before.providerID && before.providerID !== spec.providerID)
    errs.push(fieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return errs;
}

export const nodeStrategy: Strategy = {
  prepareForUpdate(obj, old, _ctx, subresource) {
    if (subresource === 'status') {
      if (old.spec === undefined) delete obj.spec;
      else obj.spec = structuredClone(old.spec);
    } else if (subresource === undefined) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
  },
  defaults(obj) {
    const node = asNode(obj);
    const spec = (node.spec ??= {});
    // v1 keeps the singular field as a mirror of the first entry
    if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
    else if (spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
    const status = node.status;
    if (isObject(status) && status.capacity && !status.allocatable) status.allocatable = structuredClone(status.capacity);
  },
  validate,
  validateUpdate,
};

// ---- printing (kube's printNode) -----------------------------------------------------

export function nodeStatusCell(obj: KubeObject): string {
  const node = asNode(obj);
  const ready = arr(node.status?.conditions).find((c) => c.type === 'Ready');
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

export function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (obj: KubeObject, type: string) => arr(asNode(obj).status?.addresses).find((a) => a.type === type)?.address || '<none>';
const nodeInfo = (obj: KubeObject, key: 'osImage' | 'kernelVersion' | 'containerRuntimeVersion' | 'kubeletVersion') =>
  asNode(obj).status?.nodeInfo?.[key] ?? '';

const nodeColumns: PrinterColumn[] = [
  nameColumn,
  { name: 'Status', type: 'string', priority: 0, description: "The node's readiness, and whether it is cordoned.", cell: nodeStatusCell },
  { name: 'Roles', type: 'string', priority: 0, description: 'Roles from the node-role.kubernetes.io/* labels.', cell: nodeRoles },
  ageColumn,
  { name: 'Version', type: 'string', priority: 0, description: "The kubelet's version (status.nodeInfo.kubeletVersion).", cell: (o) => nodeInfo(o, 'kubeletVersion') },
  { name: 'Internal-IP', type: 'string', priority: 1, description: "The node's first InternalIP address.", cell: (o) => address(o, 'InternalIP') },
  { name: 'External-IP', type: 'string', priority: 1, description: "The node's first ExternalIP address.", cell: (o) => address(o, 'ExternalIP') },
  { name: 'OS-Image', type: 'string', priority: 1, description: 'The operating system image the node reports.', cell: (o) => nodeInfo(o, 'osImage') || '<unknown>' },
  { name: 'Kernel-Version', type: 'string', priority: 1, description: "The node's kernel version.", cell: (o) => nodeInfo(o, 'kernelVersion') || '<unknown>' },
  {
    name: 'Container-Runtime',
    type: 'string',
    priority: 1,
    description: 'The container runtime and its version.',
    cell: (o) => nodeInfo(o, 'containerRuntimeVersion') || '<unknown>',
  },
];

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Node',
  statusOnCreate: true,
  subresources: [
    { name: 'status', verbs: ['get', 'patch', 'update'] },
    { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'], connect: nodeProxyConnect },
  ],
  printerColumns: nodeColumns,
  selectableFields: { 'spec.unschedulable': (o) => String(asNode(o).spec?.unschedulable === true) },
  strategy: nodeStrategy,
};
