/**
 * core/v1 Pod: kube-apiserver's defaulting (pkg/apis/core/v1/defaults.go plus what the
 * ServiceAccount, Priority and DefaultTolerationSeconds admission plugins add), the common
 * validation rules with kube's wording, the update rule ("pod updates may not change fields
 * other than …"), and kubectl's columns with printPod's derived STATUS.
 *
 * The binding subresource is served here (kube's BindingREST); eviction, which honours
 * PodDisruptionBudgets, is policy/eviction.ts; log/exec/attach/portforward belong to the
 * kubelet proxying. spec.priority and spec.preemptionPolicy come from the Priority
 * admission plugin (scheduling.k8s.io/pod-priority.ts), run as this kind's lifecycle.
 *
 * Left to other places: the kube-api-access projected volume (ServiceAccount admission).
 */
import type {
  V1Container,
  V1ContainerPort,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodSpec,
  V1Probe,
  V1ResourceRequirements,
  V1Toleration,
  V1Volume,
} from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import {
  ALL_VERBS,
  type KubeObject,
  type PrinterColumn,
  type ResourceDef,
  type Strategy,
  type SubresourceCall,
} from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Label, dns1123Subdomain, inclusiveRangeError, labelValue, portName, portNumber, qualifiedName } from '../../validation/names.js';
import { validateLabels } from '../../validation/object-meta.js';
import { compareQuantities, formatQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from '../../validation/quantity.js';
import { ageColumn, humanDuration, nameColumn } from '../printing.js';
import { admitDefaultTolerationSeconds } from '../../admission/default-toleration-seconds.js';
import { createEviction } from '../policy/eviction.js';
import { streamPodLog } from './pod-log.js';
import { podAttachConnect, podExecConnect, podPortForwardConnect } from './pod-connect.js';
import { admitPodPriority, keepPodPriority } from '../scheduling.k8s.io/pod-priority.js';

export { createEviction };

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
// kube lists these in its own order, not sorted
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

const specOf = (obj: KubeObject): V1PodSpec => {
  if (!obj.spec || typeof obj.spec !== 'object') obj.spec = { containers: [] };
  return obj.spec as V1PodSpec;
};
/** a JSON object (not null, not an array); keeps the caller's static type */
const isObject = <T>(v: T): v is T & object => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRecord = (v: unknown): v is Record<string, unknown> => isObject(v);
/** a list field, or [] when it is absent or not a list (validation reports the wrong type) */
const arr = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);
const allContainers = (spec: V1PodSpec): V1Container[] => [...arr(spec.initContainers), ...arr(spec.containers)].filter(isObject) as V1Container[];

// ---------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------

/** The tag the image reference names ('latest' when it names neither tag nor digest). */
export function imageTag(image: string | undefined): string {
  if (!image) return '';
  const [name = '', digest] = image.split('@');
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon >= 0) return lastSegment.slice(colon + 1);
  return digest ? '' : 'latest';
}

function defaultProbe(probe: V1Probe | undefined): void {
  if (!isObject(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObject(probe.httpGet)) {
    probe.httpGet.path ||= '/';
    probe.httpGet.scheme ||= 'HTTP';
  }
}

/** `pod`: the defaults kube's SetDefaults_Pod adds for a pod only (not for a pod template) */
function defaultContainer(c: V1Container, hostNetwork: boolean, pod: boolean): void {
  c.imagePullPolicy ||= imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  if (!isObject(c.resources)) c.resources = {};
  // requests default to limits for any resource that has a limit and no request
  const limits = c.resources.limits;
  if (pod && isObject(limits) && Object.keys(limits).length) {
    const requests = (c.resources.requests ??= {});
    for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
  }
  for (const port of arr(c.ports)) {
    if (!isObject(port)) continue;
    port.protocol ||= 'TCP';
    if (pod && hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const env of arr(c.env)) {
    const fieldRef = env?.valueFrom?.fieldRef;
    if (isObject(fieldRef)) fieldRef.apiVersion ||= 'v1';
  }
}

function defaultVolume(v: V1Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const source of [v.secret, v.configMap, v.downwardAPI, v.projected]) if (isObject(source)) source.defaultMode ??= 0o644;
  if (isObject(v.hostPath)) v.hostPath.type ??= '';
}

/**
 * QoS class from the effective requests and limits of cpu and memory (kube's GetPodQOS):
 * nothing set → BestEffort; every container with equal cpu and memory requests and limits →
 * Guaranteed; else Burstable. Requests default to limits first, as defaulting does.
 */
export function qosClass(spec: V1PodSpec): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => {
    const prev = into.get(name);
    into.set(name, prev ? { nano: prev.nano + q.nano, format: q.format } : q);
  };
  for (const c of allContainers(spec)) {
    const res = (c.resources ?? {}) as V1ResourceRequirements;
    const reqs: Record<string, unknown> = { ...(res.limits ?? {}), ...(res.requests ?? {}) };
    for (const name of ['cpu', 'memory']) {
      const q = parseQuantity(reqs[name]);
      if (q && q.nano > 0n) add(requests, name, q);
    }
    const found = new Set<string>();
    for (const name of ['cpu', 'memory']) {
      const q = parseQuantity(res.limits?.[name]);
      if (q && q.nano > 0n) {
        found.add(name);
        add(limits, name, q);
      }
    }
    if (found.size < 2) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, q] of requests) {
      const l = limits.get(name);
      if (!l || compareQuantities(l, q) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/**
 * kube's SetDefaults_PodSpec with its containers' and volumes' defaults: what a pod
 * template (in a Deployment, Job…) gets as well as a pod. `pod` adds SetDefaults_Pod's
 * container defaults (requests from limits, host ports under hostNetwork).
 */
export function defaultPodSpec(spec: V1PodSpec, pod = false): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  if (!isObject(spec.securityContext)) spec.securityContext = {};
  for (const c of allContainers(spec)) defaultContainer(c, spec.hostNetwork === true, pod);
  for (const v of arr(spec.volumes)) if (isObject(v)) defaultVolume(v);
}

function defaults(obj: KubeObject): void {
  const spec = specOf(obj);
  defaultPodSpec(spec, true);
  spec.enableServiceLinks ??= true;
  // ServiceAccount admission; serviceAccount is the deprecated alias kube keeps in step
  spec.serviceAccountName ||= spec.serviceAccount || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  // DefaultTolerationSeconds admission (kube admits pod creates and updates alike)
  admitDefaultTolerationSeconds(spec);
  if (isObject(obj.status)) {
    const status = obj.status as NonNullable<V1Pod['status']>;
    status.phase ||= 'Pending';
    status.qosClass ||= qosClass(spec);
  }
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResources(res: V1ResourceRequirements | undefined, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (res === undefined) return errs;
  if (!isObject(res)) return [fieldErrors.typeInvalid(at, res, 'must be an object')];
  const parsed: Record<'limits' | 'requests', Map<string, Quantity>> = { limits: new Map(), requests: new Map() };
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(res[kind] ?? {})) {
      const keyPath = `${at}.${kind}[${name}]`;
      if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-'))
        errs.push(fieldErrors.invalid(keyPath, name, 'must be a standard resource for containers'));
      else for (const msg of qualifiedName(name)) errs.push(fieldErrors.invalid(keyPath, name, msg));
      const q = parseQuantity(value);
      if (!q) {
        errs.push(fieldErrors.invalid(keyPath, value, QUANTITY_FORMAT_ERROR));
        continue;
      }
      if (q.nano < 0n) errs.push(fieldErrors.invalid(keyPath, formatQuantity(q), 'must be greater than or equal to 0'));
      parsed[kind].set(name, q);
    }
  }
  for (const [name, request] of parsed.requests) {
    const limit = parsed.limits.get(name);
    const overcommit = !name.startsWith('hugepages-') && (STANDARD_CONTAINER_RESOURCES.has(name) || !name.includes('/'));
    if (limit) {
      if (!overcommit && compareQuantities(request, limit) !== 0)
        errs.push(fieldErrors.invalid(`${at}.requests`, formatQuantity(request), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      else if (compareQuantities(request, limit) > 0)
        errs.push(fieldErrors.invalid(`${at}.requests`, formatQuantity(request), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
    } else if (!overcommit) {
      errs.push(fieldErrors.required(`${at}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

function validatePorts(ports: V1ContainerPort[] | undefined, at: string, hostNetwork: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((port, i) => {
    const p = `${at}[${i}]`;
    if (!isObject(port)) return errs.push(fieldErrors.typeInvalid(p, port, 'must be an object'));
    if (port.name) {
      const msgs = portName(port.name);
      for (const msg of msgs) errs.push(fieldErrors.invalid(`${p}.name`, port.name, msg));
      if (!msgs.length && names.has(port.name)) errs.push(fieldErrors.duplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(`${p}.containerPort`));
    else for (const msg of portNumber(port.containerPort)) errs.push(fieldErrors.invalid(`${p}.containerPort`, port.containerPort, msg));
    if (port.hostPort) {
      for (const msg of portNumber(port.hostPort)) errs.push(fieldErrors.invalid(`${p}.hostPort`, port.hostPort, msg));
      if (hostNetwork && port.hostPort !== port.containerPort)
        errs.push(fieldErrors.invalid(`${p}.hostPort`, port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    }
    if (!port.protocol) errs.push(fieldErrors.required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    return undefined;
  });
  return errs;
}

const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/; // printable ASCII except '='

function validateContainer(c: V1Container, at: string, volumes: Set<string>, spec: V1PodSpec, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(`${at}.name`));
  else for (const msg of dns1123Label(c.name)) errs.push(fieldErrors.invalid(`${at}.name`, c.name, msg));
  errs.push(...validateImage(c, at));
  if (!c.imagePullPolicy) errs.push(fieldErrors.required(`${at}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldErrors.notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy))
    errs.push(fieldErrors.notSupported(`${at}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  if (init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
    errs.push(fieldErrors.notSupported(`${at}.restartPolicy`, c.restartPolicy, ['Always']));
  if (!init && c.restartPolicy !== undefined) errs.push(fieldErrors.forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'));
  errs.push(...validatePorts(c.ports, `${at}.ports`, spec.hostNetwork === true));
  arr(c.env).forEach((env, i) => {
    const p = `${at}.env[${i}]`;
    if (!isObject(env) || !env.name) errs.push(fieldErrors.required(`${p}.name`));
    else if (!ENV_NAME.test(env.name))
      errs.push(fieldErrors.invalid(`${p}.name`, env.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
  });
  const mountPaths = new Set<string>();
  arr(c.volumeMounts).forEach((m, i) => {
    const p = `${at}.volumeMounts[${i}]`;
    if (!isObject(m)) return;
    if (!m.name) errs.push(fieldErrors.required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(`${p}.name`, m.name));
    if (!m.mountPath) errs.push(fieldErrors.required(`${p}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(fieldErrors.invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    else mountPaths.add(m.mountPath);
  });
  errs.push(...validateResources(c.resources, `${at}.resources`));
  return errs;
}

function validateImage(c: V1Container, at: string): FieldError[] {
  if (!c.image) return [fieldErrors.required(`${at}.image`)];
  if (c.image.trim() !== c.image) return [fieldErrors.invalid(`${at}.image`, c.image, 'must not have leading or trailing whitespace')];
  return [];
}

function validateTolerations(tolerations: V1Toleration[] | undefined, at: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t, i) => {
    const p = `${at}[${i}]`;
    if (!isObject(t)) return;
    if (t.key) for (const msg of qualifiedName(t.key)) errs.push(fieldErrors.invalid(`${p}.key`, t.key, msg));
    if (!t.key && t.operator !== 'Exists')
      errs.push(fieldErrors.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      errs.push(fieldErrors.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t.operator ?? 'Equal') {
      case 'Equal':
      case '':
        for (const msg of labelValue(t.value ?? '')) errs.push(fieldErrors.invalid(`${p}.operator`, t.value, msg));
        break;
      case 'Exists':
        if (t.value) errs.push(fieldErrors.invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(fieldErrors.notSupported(`${p}.operator`, t.operator, TOLERATION_OPERATORS));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    return undefined;
  });
  return errs;
}

function validateVolumes(volumes: V1Volume[] | undefined): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    if (!isObject(v)) return;
    if (!v.name) errs.push(fieldErrors.required(`${p}.name`));
    else {
      for (const msg of dns1123Label(v.name)) errs.push(fieldErrors.invalid(`${p}.name`, v.name, msg));
      if (names.has(v.name)) errs.push(fieldErrors.duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] != null);
    if (sources.length === 0) errs.push(fieldErrors.required(p, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(fieldErrors.forbidden(`${p}.${sources[1]}`, 'may not specify more than 1 volume type'));
  });
  return { errs, names };
}

/**
 * Validates a pod spec found at `path` (a pod template's "spec.template.spec"): the pod
 * rules, with field paths rewritten from the pod's "spec" to `path`.
 */
export function validatePodSpecAt(spec: unknown, path: string): FieldError[] {
  return validate({ metadata: {}, spec }).map((e) => (e.field === 'spec' || e.field.startsWith('spec.') || e.field.startsWith('spec[') ? { ...e, field: path + e.field.slice(4) } : e));
}

function validate(obj: KubeObject): FieldError[] {
  const spec = obj.spec as V1PodSpec | undefined;
  if (!isObject(spec)) return [fieldErrors.required('spec')];
  const errs: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes);
  errs.push(...volumes.errs);

  const names = new Set<string>();
  const check = (list: V1Container[] | undefined, at: string, init: boolean) =>
    arr(list).forEach((c, i) => {
      const p = `${at}[${i}]`;
      if (!isObject(c)) return errs.push(fieldErrors.typeInvalid(p, c, 'must be an object'));
      errs.push(...validateContainer(c, p, volumes.names, spec, init));
      if (c.name && names.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
      if (c.name) names.add(c.name);
      return undefined;
    });
  check(spec.initContainers, 'spec.initContainers', true);
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push(fieldErrors.required('spec.containers'));
  else check(spec.containers, 'spec.containers', false);

  if (!spec.restartPolicy) errs.push(fieldErrors.required('spec.restartPolicy'));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(fieldErrors.notSupported('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(fieldErrors.required('spec.dnsPolicy'));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(fieldErrors.notSupported('spec.dnsPolicy', spec.dnsPolicy, DNS_POLICIES));
  else if (spec.dnsPolicy === 'None' && !isObject(spec.dnsConfig))
    errs.push(fieldErrors.required('spec.dnsConfig', 'must provide `dnsConfig` when `dnsPolicy` is None'));

  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (!Number.isInteger(v) || v < 1 || v > MAX_INT32) errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const [field, value, rule] of [
    ['spec.nodeName', spec.nodeName, dns1123Subdomain],
    ['spec.serviceAccountName', spec.serviceAccountName, dns1123Subdomain],
    ['spec.priorityClassName', spec.priorityClassName, dns1123Subdomain],
    ['spec.hostname', spec.hostname, dns1123Label],
    ['spec.subdomain', spec.subdomain, dns1123Label],
  ] as const) {
    if (value) for (const msg of rule(value)) errs.push(fieldErrors.invalid(field, value, msg));
  }
  errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  return errs;
}

/** kube's list of what a pod update may change, verbatim (kubectl users grep for it) */
export const POD_UPDATABLE_FIELDS =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Go's semantic equality: an absent field equals its zero value, nil equals empty */
function pruneZero(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(pruneZero);
    return items.length ? items : undefined;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = pruneZero(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === '' || v === 0 || v === false || v === null ? undefined : v;
}

/** the paths where two JSON values differ, for the update error's explanation */
function differences(a: unknown, b: unknown, at: string, out: string[]): string[] {
  if (isDeepStrictEqual(a, b) || out.length >= 10) return out;
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${at}.${k}`, out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => differences(x, b[i], `${at}[${i}]`, out));
  } else {
    out.push(`  ${at}: ${JSON.stringify(b) ?? '<unset>'} → ${JSON.stringify(a) ?? '<unset>'}`);
  }
  return out;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = obj.spec as V1PodSpec | undefined;
  const oldSpec = old.spec as V1PodSpec | undefined;
  if (!isObject(spec) || !isObject(oldSpec)) return [];
  const errs: FieldError[] = [];
  for (const [key, at] of [
    ['containers', 'spec.containers'],
    ['initContainers', 'spec.initContainers'],
  ] as const) {
    const now = arr(spec[key]);
    const before = arr(oldSpec[key]);
    if (now.length !== before.length) return [fieldErrors.forbidden(at, 'pod updates may not add or remove containers')];
    now.forEach((c, i) => isObject(c) && errs.push(...validateImage(c, `${at}[${i}]`)));
  }

  const deadline = spec.activeDeadlineSeconds;
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    if (deadline < 0 || deadline > MAX_INT32) return [...errs, fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32))];
    if (oldDeadline !== undefined && oldDeadline !== null && oldDeadline < deadline)
      return [...errs, fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
  } else if (oldDeadline !== undefined && oldDeadline !== null) {
    errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  // tolerations: each old one must still be there, except that its tolerationSeconds may change
  for (const t of arr(oldSpec.tolerations)) {
    const kept = arr(spec.tolerations).some((n) => isDeepStrictEqual(pruneZero({ ...t, tolerationSeconds: n.tolerationSeconds }), pruneZero(n)));
    if (!kept) {
      errs.push(fieldErrors.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }

  // everything else must be unchanged: copy the updatable fields from the old spec and compare
  const munged = structuredClone(spec);
  munged.containers = arr(munged.containers).map((c, i) => ({ ...c, image: oldSpec.containers?.[i]?.image }) as V1Container);
  if (munged.initContainers)
    munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: oldSpec.initContainers?.[i]?.image }) as V1Container);
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  // scheduling gates may only be removed
  if (arr(munged.schedulingGates).every((g) => arr(oldSpec.schedulingGates).some((o) => o.name === g.name)))
    munged.schedulingGates = oldSpec.schedulingGates;
  const a = pruneZero(munged);
  const b = pruneZero(oldSpec);
  if (!isDeepStrictEqual(a, b)) {
    const diff = differences(a, b, 'spec', []).join('\n');
    errs.push(fieldErrors.forbidden('spec', `pod updates may not change fields other than ${POD_UPDATABLE_FIELDS}\n${diff}`));
  }
  return errs;
}

/** kube's UpdatePodCondition: the transition time moves only when the status changes */
function setCondition(obj: KubeObject, condition: { type: string; status: string }, now: Date): void {
  const status = (isRecord(obj.status) ? obj.status : (obj.status = {})) as { conditions?: V1PodCondition[] };
  const conditions = (status.conditions = arr(status.conditions));
  const existing = conditions.find((c) => c.type === condition.type);
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z') as unknown as Date;
  if (!existing) conditions.push({ ...condition, lastProbeTime: null as unknown as Date, lastTransitionTime: at });
  else if (existing.status !== condition.status) Object.assign(existing, condition, { lastTransitionTime: at });
}

export const podStrategy: Strategy = {
  prepareForCreate(obj) {
    const spec = specOf(obj);
    const status: Record<string, unknown> = { phase: 'Pending' };
    if (spec.schedulingGates?.length)
      status.conditions = [
        { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
      ];
    obj.status = status;
  },
  prepareForUpdate(obj, old, ctx, subresource) {
    if (subresource === 'status') {
      obj.spec = structuredClone(old.spec);
    } else if (subresource === undefined) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
      keepPodPriority(obj, old);
    } else if (subresource === 'binding') {
      // the registry kept the old status; binding is the one write that also marks the pod scheduled
      const bound = (obj.spec as V1PodSpec | undefined)?.nodeName && !(old.spec as V1PodSpec | undefined)?.nodeName;
      if (bound) setCondition(obj, { type: 'PodScheduled', status: 'True' }, ctx.now);
    }
  },
  defaults,
  validate,
  validateUpdate,
};

// ---------------------------------------------------------------------------------------
// Printing (kube's printPod)
// ---------------------------------------------------------------------------------------

const latest = (a: string | undefined, b: Date | string | undefined): string | undefined => {
  const bs = b instanceof Date ? b.toISOString() : b;
  if (!bs) return a;
  if (!a) return bs;
  return Date.parse(bs) > Date.parse(a) ? bs : a;
};
const conditionTrue = (conditions: V1PodCondition[] | undefined, type: string) => arr(conditions).some((c) => c.type === type && c.status === 'True');

export interface PodSummary {
  /** READY: "ready/total" */
  ready: string;
  /** STATUS: the derived reason */
  status: string;
  restarts: number;
  /** the newest restart's finish time (RFC 3339), when known */
  lastRestart?: string;
}

/**
 * What `kubectl get pods` shows, derived as kube's printPod does: the phase, overridden by
 * the pod's reason, then by the first unfinished init container ("Init:1/2",
 * "Init:CrashLoopBackOff"), else by the last container with a waiting or terminated reason
 * ("ContainerCreating", "CrashLoopBackOff", "Completed", "ExitCode:1"), then "Terminating"
 * or "Unknown" while deleting.
 */
export function summarizePod(obj: KubeObject): PodSummary {
  const pod = obj as unknown as V1Pod;
  const spec = (pod.spec ?? {}) as Partial<V1PodSpec>;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if (arr(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initContainers = new Map(arr(spec.initContainers).map((c) => [c.name, c]));
  const restartable = (name: string) => initContainers.get(name)?.restartPolicy === 'Always';
  let total = arr(spec.containers).length + arr(spec.initContainers).filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;

  let initializing = false;
  const initStatuses: V1ContainerStatus[] = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    lastRestart = latest(lastRestart, finished);
    if (restartable(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = latest(lastSidecarRestart, finished);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${arr(spec.initContainers).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = latest(lastRestart, c.lastState?.terminated?.finishedAt);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }
  total = Math.max(total, 0);
  return { ready: `${ready}/${total}`, status: reason, restarts, ...(lastRestart ? { lastRestart } : {}) };
}

/** RESTARTS: "0", or "3 (5m ago)" when the last restart's time is known */
export function restartsCell(obj: KubeObject, now: Date): string {
  const s = summarizePod(obj);
  if (s.restarts === 0 || !s.lastRestart) return String(s.restarts);
  return `${s.restarts} (${humanDuration(now.getTime() - Date.parse(s.lastRestart))} ago)`;
}

const podIP = (obj: KubeObject): string => {
  const status = (obj as unknown as V1Pod).status;
  return status?.podIPs?.[0]?.ip || status?.podIP || '';
};

const readinessGatesCell = (obj: KubeObject): string => {
  const pod = obj as unknown as V1Pod;
  const gates = arr(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr(pod.status?.conditions);
  const satisfied = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${satisfied}/${gates.length}`;
};

const podColumns: PrinterColumn[] = [
  nameColumn,
  { name: 'Ready', type: 'string', priority: 0, description: 'Containers ready out of all containers in the pod.', cell: (o) => summarizePod(o).ready },
  { name: 'Status', type: 'string', priority: 0, description: "The pod's derived state, from its phase and its containers' states.", cell: (o) => summarizePod(o).status },
  { name: 'Restarts', type: 'string', priority: 0, description: 'Container restarts in the pod, and how long ago the latest was.', cell: restartsCell },
  ageColumn,
  { name: 'IP', type: 'string', priority: 1, description: "The pod's IP address (status.podIPs[0]).", cell: (o) => podIP(o) || '<none>' },
  { name: 'Node', type: 'string', priority: 1, description: 'The node the pod is bound to (spec.nodeName).', cell: (o) => (o.spec as V1PodSpec | undefined)?.nodeName || '<none>' },
  {
    name: 'Nominated Node',
    type: 'string',
    priority: 1,
    description: 'The node the scheduler nominated while preempting for this pod (status.nominatedNodeName).',
    cell: (o) => (o as unknown as V1Pod).status?.nominatedNodeName || '<none>',
  },
  { name: 'Readiness Gates', type: 'string', priority: 1, description: 'Readiness gates satisfied out of those the pod declares.', cell: readinessGatesCell },
];

// ---------------------------------------------------------------------------------------
// Subresources: binding (eviction is policy/eviction.ts)
// ---------------------------------------------------------------------------------------

const success = (code: number) => ({ code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } });

/**
 * POST pods/{name}/binding: the scheduler's one write. Sets spec.nodeName on an unbound,
 * ungated, not-deleting pod, merges the Binding's annotations and marks PodScheduled; any
 * other state is a 409 Conflict on pods/binding, as in kube.
 */
export async function createBinding(call: SubresourceCall): Promise<{ code: number; body: unknown }> {
  const { def, namespace, name, body, ctx, registry } = call;
  if (body.metadata?.name && body.metadata.name !== name) throw apiErrors.badRequest('name in URL does not match name in Binding object');
  const target = (isRecord(body.target) ? body.target : {}) as { kind?: string; name?: string };
  const errs: FieldError[] = [];
  if (target.kind && target.kind !== 'Node') errs.push(fieldErrors.notSupported('target.kind', target.kind, ['Node', '<empty>']));
  if (!target.name) errs.push(fieldErrors.required('target.name'));
  if (errs.length) throw apiErrors.invalid('Binding', '', name, errs);
  const conflict = (why: string) => apiErrors.conflict({ group: '', resource: 'pods/binding', name }, why);
  await registry.mutate(
    def,
    namespace,
    name,
    ctx,
    (pod) => {
      const meta = pod.metadata;
      const spec = specOf(pod);
      if (body.metadata?.uid && body.metadata.uid !== meta.uid)
        throw conflict(`Precondition failed: UID in precondition: ${body.metadata.uid}, UID in object meta: ${meta.uid ?? ''}`);
      if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== meta.resourceVersion)
        throw conflict('the object has been modified; please apply your changes to the latest version and try again');
      if (meta.deletionTimestamp) throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw conflict(`pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
      if (arr(spec.schedulingGates).length) throw conflict(`pod ${name} has non-empty .spec.schedulingGates`);
      spec.nodeName = target.name;
      const annotations = body.metadata?.annotations;
      if (annotations && Object.keys(annotations).length) meta.annotations = { ...(meta.annotations ?? {}), ...annotations };
      return pod;
    },
    'binding',
  );
  return success(201);
}

const specString = (o: KubeObject, key: keyof V1PodSpec): string => {
  const v = (o.spec as Record<string, unknown> | undefined)?.[key];
  return v === undefined || v === null ? '' : String(v);
};

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  categories: ['all'],
  verbs: [...ALL_VERBS],
  modelName: 'V1Pod',
  subresources: [
    { name: 'status', verbs: ['get', 'patch', 'update'] },
    { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'], create: createBinding },
    { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'], create: createEviction },
    { name: 'log', verbs: ['get'], stream: streamPodLog },
    { name: 'exec', verbs: ['get', 'create'], connect: podExecConnect },
    { name: 'attach', verbs: ['get', 'create'], connect: podAttachConnect },
    { name: 'portforward', verbs: ['get', 'create'], connect: podPortForwardConnect },
  ],
  printerColumns: podColumns,
  // kube's pod field set: every key is present (empty string when unset), so `spec.nodeName=` finds unscheduled pods
  selectableFields: {
    'spec.nodeName': (o) => specString(o, 'nodeName'),
    'spec.restartPolicy': (o) => specString(o, 'restartPolicy'),
    'spec.schedulerName': (o) => specString(o, 'schedulerName'),
    'spec.serviceAccountName': (o) => specString(o, 'serviceAccountName'),
    'spec.hostNetwork': (o) => String((o.spec as V1PodSpec | undefined)?.hostNetwork === true),
    'status.phase': (o) => (o as unknown as V1Pod).status?.phase ?? '',
    'status.podIP': podIP,
    'status.nominatedNodeName': (o) => (o as unknown as V1Pod).status?.nominatedNodeName ?? '',
  },
  strategy: podStrategy,
  // kube's Priority admission plugin: priority and preemptionPolicy from the PriorityClass
  lifecycle: (env) => ({ beforeCreate: (obj) => admitPodPriority(obj, env) }),
  /** kube's pod grace: the spec's period, but 0 for a pod never scheduled or already finished */
  gracefulDeletion(obj) {
    const pod = obj as unknown as V1Pod;
    if (!pod.spec?.nodeName) return 0;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
    return pod.spec.terminationGracePeriodSeconds ?? 30;
  },
};
