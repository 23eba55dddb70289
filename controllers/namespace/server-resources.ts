/**
 * Discovery as the namespace and quota controllers need it: every resource the server
 * serves, with its verbs. The client's serverResources() supplies it; this type lets
 * tests hand in a fixed list instead.
 */
import type { KubeClient, ResourceMapping } from '../../client/types.js';

export type ServerResource = ResourceMapping & { verbs: string[] };
export type DiscoverResources = () => Promise<ServerResource[]>;

/** the client's discovery (preferred versions, as kube's namespace deleter uses), or an error saying it has none */
export function clientDiscovery(client: KubeClient): DiscoverResources {
  return async () => {
    if (!client.serverResources) throw new Error('this client cannot enumerate the served resources');
    return client.serverResources();
  };
}

/** "resource.group", or "resource" for the core group (kube's GroupResource.String()) */
export const groupResourceOf = (r: { resource: string; group: string }): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export const apiVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);
