/**
 * A container's environment, kube's makeEnvironmentVariables:
 *   1. envFrom, in order: every key of the ConfigMap/Secret (with the prefix); keys that are
 *      not valid variable names are skipped and named in one InvalidEnvironmentVariableNames
 *      event per source; a missing source is an error unless optional.
 *   2. env, in order, later entries overriding earlier ones and envFrom: a literal value has
 *      its $(VAR) references expanded against what is defined so far, then the service env;
 *      valueFrom resolves fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef.
 *   3. the service variables not already defined.
 * An error (missing ConfigMap/Secret/key that is not optional, an unsupported fieldPath)
 * carries kube's message; the caller makes the container wait with CreateContainerConfigError.
 * The order of the result is the order of first definition (kube's is a map's, i.e. none).
 * I/O goes through EnvSources so the logic is testable with plain objects.
 */
import type { V1ConfigMap, V1Container, V1Pod, V1Secret } from '@kubernetes/client-node';
import type { KeyValue } from '../cri/api.js';
import { containerResourceValue, podFieldValue, type PodNetworkFacts } from './downward-api.js';
import { expandVars, mappingFor } from './expand-vars.js';

/** where the env's objects come from; get* throw NotFoundError when the object does not exist */
export interface EnvSources {
  getConfigMap(namespace: string, name: string): Promise<V1ConfigMap>;
  getSecret(namespace: string, name: string): Promise<V1Secret>;
  /** the service variables for a pod in `namespace` (service-env.ts) */
  serviceEnv(namespace: string, enableServiceLinks: boolean): Promise<Map<string, string>>;
}

/** kube's NotFound for the kubelet's object caches: `configmap "x" not found` */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(resource: 'configmap' | 'secret', name: string) {
    super(`${resource} "${name}" not found`);
  }
}

export interface EnvContext extends PodNetworkFacts {
  /** the node's allocatable, for resourceFieldRef limits the container does not set (see downward-api.ts) */
  nodeAllocatable?: Record<string, string>;
  /** an InvalidEnvironmentVariableNames warning about the pod */
  warn(reason: string, message: string): void;
}

/** validation.IsEnvVarName (plus its "not . or .. or ..-prefixed" rule) */
export const isEnvVarName = (name: string): boolean => /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) && name !== '.' && !name.startsWith('..');

const decodeSecretValue = (value: string): string => Buffer.from(value, 'base64').toString('utf8');

export async function makeEnvironmentVariables(pod: V1Pod, container: V1Container, ctx: EnvContext, sources: EnvSources): Promise<KeyValue[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  // kube errors on a nil enableServiceLinks (the API server always defaults it to true); a
  // pod object that skipped defaulting is treated as defaulted here instead.
  const serviceEnv = await sources.serviceEnv(namespace, pod.spec?.enableServiceLinks !== false);
  const configMaps = new Map<string, V1ConfigMap | null>();
  const secrets = new Map<string, V1Secret | null>();
  const load = async <T>(cache: Map<string, T | null>, name: string, optional: boolean, get: () => Promise<T>): Promise<T | undefined> => {
    if (cache.has(name)) return cache.get(name) ?? undefined;
    try {
      const object = await get();
      cache.set(name, object);
      return object;
    } catch (err) {
      if (err instanceof NotFoundError && optional) return undefined;
      throw err;
    }
  };
  const configMap = (name: string, optional: boolean) => load(configMaps, name, optional, () => sources.getConfigMap(namespace, name));
  const secret = (name: string, optional: boolean) => load(secrets, name, optional, () => sources.getSecret(namespace, name));

  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string>;
    let what: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name ?? '';
      what = 'configMap';
      const object = await configMap(name, from.configMapRef.optional === true);
      if (!object) continue;
      data = object.data ?? {};
    } else if (from.secretRef) {
      name = from.secretRef.name ?? '';
      what = 'secret';
      const object = await secret(name, from.secretRef.optional === true);
      if (!object) continue;
      data = Object.fromEntries(Object.entries(object.data ?? {}).map(([k, v]) => [k, decodeSecretValue(v)]));
    } else continue;
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(data)) {
      const variable = prefix + key;
      if (!isEnvVarName(variable)) {
        invalid.push(variable);
        continue;
      }
      env.set(variable, value);
    }
    if (invalid.length > 0) {
      invalid.sort();
      ctx.warn(
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const mapping = mappingFor(env, serviceEnv);
  for (const variable of container.env ?? []) {
    let value = variable.value ?? '';
    if (value !== '') {
      value = expandVars(value, mapping);
    } else if (variable.valueFrom) {
      const from = variable.valueFrom;
      if (from.fieldRef) {
        value = podFieldValue(pod, from.fieldRef.fieldPath, ctx);
      } else if (from.resourceFieldRef) {
        value = containerResourceValue(from.resourceFieldRef, resourceContainer(pod, container, from.resourceFieldRef.containerName), ctx.nodeAllocatable);
      } else if (from.configMapKeyRef) {
        const { name = '', key, optional = false } = from.configMapKeyRef;
        const object = await configMap(name, optional);
        if (!object) continue;
        const found = object.data?.[key];
        if (found === undefined) {
          if (optional) continue;
          throw new Error(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
        }
        value = found;
      } else if (from.secretKeyRef) {
        const { name = '', key, optional = false } = from.secretKeyRef;
        const object = await secret(name, optional);
        if (!object) continue;
        const found = object.data?.[key];
        if (found === undefined) {
          if (optional) continue;
          throw new Error(`couldn't find key ${key} in Secret ${namespace}/${name}`);
        }
        value = decodeSecretValue(found);
      }
    }
    env.set(variable.name, value);
  }

  for (const [key, value] of serviceEnv) if (!env.has(key)) env.set(key, value);
  return [...env].map(([key, value]) => ({ key, value }));
}

/** resourceFieldRef.containerName names another container of the pod (kube's ExtractResourceValueByContainerName) */
function resourceContainer(pod: V1Pod, container: V1Container, name: string | undefined): V1Container {
  if (!name || name === container.name) return container;
  const found = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
  if (!found) throw new Error(`container ${name} not found`);
  return found;
}

/** command and args with $(VAR) expanded against the final env (kube's ExpandContainerCommandAndArgs) */
export function expandCommandAndArgs(container: V1Container, envs: KeyValue[]): { command: string[]; args: string[] } {
  const mapping = mappingFor(new Map(envs.map((e) => [e.key, e.value])));
  return {
    command: (container.command ?? []).map((c) => expandVars(c, mapping)),
    args: (container.args ?? []).map((a) => expandVars(a, mapping)),
  };
}
