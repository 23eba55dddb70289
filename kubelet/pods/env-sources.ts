/**
 * EnvSources over the kubelet's API client: ConfigMaps and Secrets read on demand (a real
 * kubelet watches them; a GET per container start is the same answer a little later), and
 * the service lists behind the service variables cached for a short while, because every
 * container start needs them and they rarely change. A 404 becomes NotFoundError with the
 * kubelet cache's wording (`configmap "x" not found`).
 */
import type { V1ConfigMap, V1Secret, V1Service } from '@kubernetes/client-node';
import type { Clock } from '../../client/clock.js';
import type { KubeClient } from '../../client/types.js';
import { apiErrorCode } from './api-error-code.js';
import { NotFoundError, type EnvSources } from './container-env.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

export const DEFAULT_SERVICE_CACHE_TTL_MS = 10_000;

export function clientEnvSources(client: KubeClient, clock: Clock, serviceCacheTtlMs = DEFAULT_SERVICE_CACHE_TTL_MS): EnvSources {
  const serviceLists = new Map<string, { at: number; services: Promise<V1Service[]> }>();
  const get = async <T>(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Promise<T> => {
    try {
      return (await client.resource(`v1`, kind).get(name, { namespace })) as T;
    } catch (err) {
      if (apiErrorCode(err) === 404) throw new NotFoundError(kind === 'ConfigMap' ? 'configmap' : 'secret', name);
      throw err;
    }
  };
  const services = (namespace: string): Promise<V1Service[]> => {
    const cached = serviceLists.get(namespace);
    if (cached && clock.now() - cached.at < serviceCacheTtlMs) return cached.services;
    const services = client
      .resource('v1', 'Service')
      .list({ namespace })
      .then((list) => list.items as V1Service[]);
    // a failed list is not cached: the next container start asks again
    services.catch(() => serviceLists.delete(namespace));
    serviceLists.set(namespace, { at: clock.now(), services });
    return services;
  };
  return {
    getConfigMap: (namespace, name) => get<V1ConfigMap>('ConfigMap', namespace, name),
    getSecret: (namespace, name) => get<V1Secret>('Secret', namespace, name),
    async serviceEnv(namespace, enableServiceLinks) {
      const [own, defaults] = await Promise.all([enableServiceLinks ? services(namespace) : Promise.resolve([]), services('default')]);
      return serviceEnvVars(servicesForPod(enableServiceLinks, own, defaults));
    },
  };
}

const perClient = new WeakMap<KubeClient, EnvSources>();

/** one EnvSources (and so one service cache) per kubelet client */
export function envSourcesFor(client: KubeClient, clock: Clock): EnvSources {
  let sources = perClient.get(client);
  if (!sources) {
    sources = clientEnvSources(client, clock);
    perClient.set(client, sources);
  }
  return sources;
}
