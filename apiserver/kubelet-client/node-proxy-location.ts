/**
 * nodes/proxy (kube's node ProxyREST): /api/v1/nodes/NAME/proxy/PATH?QUERY reaches the
 * node's kubelet at /PATH?QUERY — any method, bodies and upgrades passed through — which
 * is how `kubectl get --raw /api/v1/nodes/N/proxy/stats/summary` and metrics scrapers read
 * a kubelet through the API server.
 *
 * The name may carry a port, NAME:PORT, as in kube. Only the kubelet's own port is served:
 * kube would proxy any other port over plain HTTP through the node's address, which k8ts
 * has no use for, so another port is a clear 400 instead of a surprise.
 */
import type { ConnectDef, ConnectTarget, SubresourceConnectCall } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';
import { kubeletLocation } from './kubelet-location.js';

/** "name", "name:port" or "scheme:name:port" (kube's SplitSchemeNamePort), undefined if malformed */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (name === '' || (parts.length > 1 && port === '')) return undefined;
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https') return undefined;
  return { scheme, name, port };
}

/** the kubelet path: '/' + what followed `proxy/`, a trailing slash kept, and the query */
export function nodeProxyPath(rest: string, rawQuery: string): string {
  const path = `/${rest.replace(/^\/+/, '')}`;
  return rawQuery ? `${path}?${rawQuery}` : path;
}

async function locateNodeProxy(call: SubresourceConnectCall): Promise<ConnectTarget> {
  const id = splitSchemeNamePort(call.name);
  if (!id) throw apiErrors.badRequest(`invalid node request ${JSON.stringify(call.name)}`);
  const location = kubeletLocation(await call.registry.get(call.def, '', id.name));
  if (id.port !== '' && id.port !== String(location.port)) {
    throw apiErrors.badRequest(`node "${id.name}": only the kubelet's port ${location.port} can be proxied, not ${id.port}`);
  }
  return { ...location, path: nodeProxyPath(call.rest, call.rawQuery) };
}

export const nodeProxyConnect: ConnectDef = {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  upgradeRequired: false,
  locate: locateNodeProxy,
};
