/**
 * core/v1 Service: kube's defaulting (type ClusterIP, TCP ports, targetPort = port, single
 * stack IPv4, traffic policies) and validation (pkg/apis/core/validation ValidateService).
 *
 * Cluster IP and node port *allocation* needs cluster state and is the registry's job,
 * with the pure allocators in service-allocation.ts; this strategy only keeps what was
 * allocated when an update omits it (kube's patchAllocatedValues), so `kubectl replace`
 * of a manifest without clusterIP works.
 */
import type { V1Service, V1ServicePort, V1ServiceSpec } from '@kubernetes/client-node';
import { isIP } from 'node:net';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, portNumber, qualifiedName } from '../../validation/names.js';
import { ageColumn, column, formatLabels, nameColumn } from '../printing.js';
import { needsClusterIP, needsNodePorts } from './service-allocation.js';
import { serviceLifecycle } from './service-lifecycle.js';
import { validateNamedPort } from '../../validation/ports.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const SESSION_AFFINITIES = ['ClientIP', 'None'] as const;
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;
const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;

/** kube's default ClientIP affinity timeout: 3 hours */
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;
const MAX_CLIENT_IP_TIMEOUT_SECONDS = 86400;

const specOf = (obj: KubeObject): V1ServiceSpec => {
  const svc = obj as V1Service;
  if (!svc.spec || typeof svc.spec !== 'object') (obj as Record<string, unknown>).spec = {};
  return (obj as V1Service).spec!;
};

const includes = (list: readonly string[], v: unknown): boolean => typeof v === 'string' && list.includes(v);

function defaults(obj: KubeObject): void {
  const spec = specOf(obj);
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_TIMEOUT_SECONDS;
  }
  for (const port of spec.ports ?? []) {
    if (!port || typeof port !== 'object') continue;
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ||= 'Cluster';
    // k8ts clusters are single-stack IPv4 (one --service-cidr)
    spec.ipFamilyPolicy ||= 'SingleStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  }
}

/** kube's IsValidPortName, for named target ports */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validatePort(port: V1ServicePort, i: number, requireName: boolean, spec: V1ServiceSpec): FieldError[] {
  const at = `spec.ports[${i}]`;
  if (!port || typeof port !== 'object') return [fieldErrors.typeInvalid(at, port, 'must be an object')];
  const errs = validateNamedPort(port, at, requireName);
  const target = port.targetPort;
  if (typeof target === 'number') {
    for (const msg of portNumber(target)) errs.push(fieldErrors.invalid(`${at}.targetPort`, target, msg));
  } else if (typeof target === 'string') {
    for (const msg of portNameErrors(target)) errs.push(fieldErrors.invalid(`${at}.targetPort`, target, msg));
  }
  if (port.appProtocol) for (const msg of qualifiedName(port.appProtocol)) errs.push(fieldErrors.invalid(`${at}.appProtocol`, port.appProtocol, msg));
  if (port.nodePort !== undefined && port.nodePort !== 0) {
    if (spec.type === 'ClusterIP') errs.push(fieldErrors.forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    for (const msg of portNumber(port.nodePort)) errs.push(fieldErrors.invalid(`${at}.nodePort`, port.nodePort, msg));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  // The registry checks the name as a DNS-1123 label (nameRule); a Service name is also a
  // DNS-1035 label (no leading digit). Report the stricter rule only when the first
  // passed, so one bad name yields one error, as in kube.
  if (name && dns1123Label(name).length === 0) for (const msg of dns1035Label(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));

  const spec = specOf(obj);
  const type = spec.type;
  const headless = spec.clusterIP === 'None';
  if (!includes(SERVICE_TYPES, type)) errs.push(fieldErrors.notSupported('spec.type', type ?? '', SERVICE_TYPES));

  if (type === 'ExternalName') {
    if (spec.clusterIP) errs.push(fieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (!spec.externalName) errs.push(fieldErrors.required('spec.externalName'));
    else {
      // a trailing dot (FQDN) is allowed
      const external = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      for (const msg of dns1123Subdomain(external)) errs.push(fieldErrors.invalid('spec.externalName', spec.externalName, msg));
    }
  } else if (spec.externalName) {
    errs.push(fieldErrors.forbidden('spec.externalName', 'may not be set when `type` is not \'ExternalName\''));
  }

  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (spec.ports !== undefined && !Array.isArray(spec.ports)) errs.push(fieldErrors.typeInvalid('spec.ports', spec.ports, 'must be an array'));
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErrors.required('spec.ports'));
  const names = new Set<string>();
  const portProtocols = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(...validatePort(port, i, ports.length > 1, spec));
    if (!port || typeof port !== 'object') return;
    if (port.name) {
      if (names.has(port.name)) errs.push(fieldErrors.duplicate(`spec.ports[${i}].name`, port.name));
      names.add(port.name);
    }
    const key = `${port.port}/${port.protocol}`;
    if (portProtocols.has(key))
      errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}]`, message: `Duplicate value: core.ServicePort{Name:"", Protocol:"${port.protocol}", Port:${port.port}}` });
    portProtocols.add(key);
  });

  // cluster IPs: "None", or valid addresses, with clusterIPs[0] == clusterIP
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.clusterIP && clusterIPs.length && clusterIPs[0] !== spec.clusterIP)
    errs.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || clusterIPs.length > 1) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, 'must be a single value of "None" for headless services'));
      return;
    }
    if (!isIP(ip)) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, IP_DETAIL));
  });
  if (spec.clusterIP && spec.clusterIP !== 'None' && !clusterIPs.length && !isIP(spec.clusterIP))
    errs.push(fieldErrors.invalid('spec.clusterIPs[0]', spec.clusterIP, IP_DETAIL));
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    errs.push(fieldErrors.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));

  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) errs.push(fieldErrors.invalid(`spec.externalIPs[${i}]`, ip, IP_DETAIL));
  });

  if (spec.sessionAffinity !== undefined && !includes(SESSION_AFFINITIES, spec.sessionAffinity))
    errs.push(fieldErrors.notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && !(timeout > 0 && timeout <= MAX_CLIENT_IP_TIMEOUT_SECONDS))
    errs.push(
      fieldErrors.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT_SECONDS}`),
    );
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig)
    errs.push(fieldErrors.invalid('spec.sessionAffinityConfig', spec.sessionAffinityConfig, "must not be set when session affinity is None"));

  if (spec.ipFamilyPolicy !== undefined && !includes(IP_FAMILY_POLICIES, spec.ipFamilyPolicy))
    errs.push(fieldErrors.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (!includes(IP_FAMILIES, family)) errs.push(fieldErrors.notSupported(`spec.ipFamilies[${i}]`, family, IP_FAMILIES));
  });

  if (spec.externalTrafficPolicy) {
    if (type === 'ClusterIP' || type === 'ExternalName')
      errs.push(fieldErrors.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    else if (!includes(TRAFFIC_POLICIES, spec.externalTrafficPolicy))
      errs.push(fieldErrors.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy && !includes(TRAFFIC_POLICIES, spec.internalTrafficPolicy))
    errs.push(fieldErrors.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer')
    errs.push(fieldErrors.forbidden('spec.allocateLoadBalancerNodePorts', 'may only be used when `type` is \'LoadBalancer\''));

  for (const [key, value] of Object.entries(spec.selector ?? {})) {
    for (const msg of qualifiedName(key)) errs.push(fieldErrors.invalid('spec.selector', key, msg));
    for (const msg of labelValue(String(value))) errs.push(fieldErrors.invalid('spec.selector', value, msg));
  }
  return errs;
}

/** Go's %#v of a []string, as kube prints clusterIPs in this message */
const goStrings = (list: readonly string[] | undefined) => `[]string{${(list ?? []).map((s) => JSON.stringify(s)).join(', ')}}`;

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = (old as V1Service).spec ?? {};
  // Switching to or from ExternalName releases or allocates; otherwise the primary
  // cluster IP is fixed once set.
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const before = oldSpec.clusterIPs?.length ? oldSpec.clusterIPs : oldSpec.clusterIP ? [oldSpec.clusterIP] : [];
  if (!before.length) return [];
  const after = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  if (after[0] === before[0]) return [];
  return [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${goStrings(after)}: may not change once set` }];
}

const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);

/**
 * kube's dropTypeDependentFields: when the type changes, fields that only mean something
 * for the old type are cleared — but only if the client left them as they were (a client
 * that changes them at the same time gets a validation error instead). This is what lets
 * `kubectl apply` turn a NodePort Service into a ClusterIP one.
 */
function dropTypeDependentFields(spec: V1ServiceSpec, oldSpec: V1ServiceSpec, obj: KubeObject, old: KubeObject): void {
  if (spec.type === 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (spec.clusterIP === oldSpec.clusterIP && sameList(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(obj)) {
    (spec.ports ?? []).forEach((port, i) => {
      if (port && port.nodePort !== undefined && port.nodePort === oldSpec.ports?.[i]?.nodePort) delete port.nodePort;
    });
  }
  if (oldSpec.healthCheckNodePort && spec.healthCheckNodePort === oldSpec.healthCheckNodePort && !(spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'))
    delete spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer' && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

/**
 * Keep what the registry allocated when the client leaves it out (kube's
 * patchAllocatedValues): the cluster IP(s), and node ports of ports that still exist.
 */
function patchAllocatedValues(spec: V1ServiceSpec, oldSpec: V1ServiceSpec, obj: KubeObject, old: KubeObject): void {
  if (needsClusterIP(old) && needsClusterIP(obj) && !spec.clusterIP && !spec.clusterIPs?.length) {
    if (oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePorts(old) && needsNodePorts(obj)) {
    for (const port of spec.ports ?? []) {
      if (!port || port.nodePort) continue;
      const match =
        (oldSpec.ports ?? []).find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) ??
        (port.name ? (oldSpec.ports ?? []).find((p) => p.name === port.name) : undefined);
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
    if (!spec.healthCheckNodePort && oldSpec.healthCheckNodePort && spec.externalTrafficPolicy === 'Local')
      spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

function prepareForUpdate(obj: KubeObject, old: KubeObject, _ctx: unknown, subresource?: string): void {
  if (subresource === 'status') return;
  const spec = specOf(obj);
  const oldSpec = (old as V1Service).spec ?? {};
  dropTypeDependentFields(spec, oldSpec, obj, old);
  patchAllocatedValues(spec, oldSpec, obj, old);
}

export const serviceStrategy: Strategy = {
  prepareForCreate(obj) {
    (obj as Record<string, unknown>).status = { loadBalancer: {} };
  },
  prepareForUpdate,
  defaults,
  validate,
  validateUpdate,
};

// ---- printing (kube's printService) ----

function externalIP(svc: V1Service, wide: boolean): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc, wide);
      const all = [...(lb ? lb.split(',') : []), ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function loadBalancerIngress(svc: V1Service, wide: boolean): string {
  const list = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
  const text = list.join(',');
  return !wide && text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

function portsString(svc: V1Service): string {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const services: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  namespaced: true,
  categories: ['all'],
  // kube's service storage has never offered deletecollection (deletion releases IPs/ports)
  verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
  modelName: 'V1Service',
  lifecycle: (env) => serviceLifecycle(env, services),
  // DNS-1123 label here; validate() adds the stricter DNS-1035 rule
  nameRule: 'dns1123-label',
  subresources: [
    { name: 'status', verbs: ['get', 'patch', 'update'] },
    { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  printerColumns: [
    nameColumn,
    column('Type', 'string', 'The type of the service.', (o) => (o as V1Service).spec?.type ?? ''),
    column('Cluster-IP', 'string', 'The cluster IP of the service.', (o) => {
      const spec = (o as V1Service).spec ?? {};
      return spec.clusterIPs?.[0] ?? (spec.clusterIP || '<none>');
    }),
    column('External-IP', 'string', 'The external IPs of the service.', (o) => externalIP(o as V1Service, false)),
    column('Port(s)', 'string', 'The ports of the service.', (o) => portsString(o as V1Service)),
    ageColumn,
    column('Selector', 'string', 'The label selector of the service.', (o) => formatLabels((o as V1Service).spec?.selector), 1),
  ],
  selectableFields: {
    'spec.clusterIP': (o) => (o as V1Service).spec?.clusterIP ?? '',
    'spec.type': (o) => (o as V1Service).spec?.type ?? '',
  },
  strategy: serviceStrategy,
};
