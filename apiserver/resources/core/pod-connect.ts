/**
 * pods/exec, pods/attach and pods/portforward: kube-apiserver's ExecREST, AttachREST and
 * PortForwardREST. The API server runs nothing itself; it finds the kubelet of the pod's
 * node and the proxy (routes/connect-routes.ts) splices the client's upgraded connection
 * to the kubelet's (/exec/NS/POD/CONTAINER, /attach/…, /portForward/NS/POD).
 *
 * In kube's order (pkg/registry/core/pod/strategy.go, streamLocation):
 *   1. the query as PodExecOptions / PodAttachOptions / PodPortForwardOptions (a port that
 *      is not a number is 400);
 *   2. the pod: 404 when missing;
 *   3. the container (exec, attach): none given and one in the pod is that one; none in the
 *      pod is `a container name must be specified for pod P`; several is the same plus
 *      `, choose one of: [i a b]` listing init, regular and ephemeral containers; an
 *      unknown name is `container C is not valid for pod P`;
 *   4. the node: unscheduled is 400 `pod P does not have a host assigned`;
 *   5. the node's kubelet address and port (kubelet-client/kubelet-location.ts).
 * Only then does the proxy ask whether the request upgrades (400 `Upgrade request
 * required` otherwise), as kube's UpgradeAwareHandler does after Connect.
 *
 * What kube-apiserver does NOT check, and neither does this: the command being non-empty
 * and at least one of stdin/stdout/stderr (the kubelet answers those, in plain text,
 * before upgrading, and the proxy relays it), and the pod's phase (kubectl itself refuses
 * to exec into a Succeeded or Failed pod before it calls the server).
 *
 * The kubelet's query uses its own names (kube's api.ExecStdinParam… constants):
 * input/output/error/tty = 1, command repeated, port=80,443 — encoded with sorted keys as
 * Go's url.Values.Encode does.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ConnectDef, ConnectTarget, SubresourceConnectCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { kubeletLocation } from '../../kubelet-client/kubelet-location.js';

type Query = SubresourceConnectCall['query'];

export interface PodExecOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  container?: string;
  command: string[];
}

export type PodAttachOptions = Omit<PodExecOptions, 'command'>;

export interface PodPortForwardOptions {
  ports: number[];
}

const all = (query: Query, key: string): string[] => {
  const v = query[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** kube's parameter codec for a bool: the first value, false only for "false" and "0" */
const bool = (query: Query, key: string): boolean => {
  const v = all(query, key)[0];
  return v !== undefined && v.toLowerCase() !== 'false' && v !== '0';
};

export function parsePodAttachOptions(query: Query): PodAttachOptions {
  const container = all(query, 'container')[0];
  return {
    stdin: bool(query, 'stdin'),
    stdout: bool(query, 'stdout'),
    stderr: bool(query, 'stderr'),
    tty: bool(query, 'tty'),
    ...(container ? { container } : {}),
  };
}

export function parsePodExecOptions(query: Query): PodExecOptions {
  return { ...parsePodAttachOptions(query), command: all(query, 'command') };
}

/** `ports` repeated; each an int32 as Go's strconv.ParseInt reads it */
export function parsePodPortForwardOptions(query: Query): PodPortForwardOptions {
  const ports = all(query, 'ports').map((v) => {
    const n = Number(v);
    if (!/^[+-]?\d+$/.test(v) || !Number.isInteger(n)) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
    return n;
  });
  return { ports };
}

/** Go's url.Values.Encode: keys sorted, each key's values in order */
function encodeSorted(pairs: Array<[string, string]>): string {
  const keys = [...new Set(pairs.map(([k]) => k))].sort();
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return keys.flatMap((k) => pairs.filter(([key]) => key === k).map(([, v]) => `${enc(k)}=${enc(v)}`)).join('&');
}

/** the kubelet's query for exec or attach (kube's streamParams) */
export function kubeletStreamQuery(options: PodAttachOptions & { command?: string[] }): string {
  const pairs: Array<[string, string]> = [];
  if (options.stdin) pairs.push(['input', '1']);
  if (options.stdout) pairs.push(['output', '1']);
  if (options.stderr) pairs.push(['error', '1']);
  if (options.tty) pairs.push(['tty', '1']);
  for (const c of options.command ?? []) pairs.push(['command', c]);
  return encodeSorted(pairs);
}

/** the kubelet's query for port-forward: one `port` with the list */
export function kubeletPortForwardQuery(options: PodPortForwardOptions): string {
  return options.ports.length > 0 ? encodeSorted([['port', options.ports.join(',')]]) : '';
}

/** kube's validateContainer for exec and attach */
export function streamContainerOf(pod: V1Pod, wanted: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  const containers = pod.spec?.containers ?? [];
  // init, regular, ephemeral: the order kube's VisitContainers walks them
  const every = [...(pod.spec?.initContainers ?? []), ...containers, ...((pod.spec?.ephemeralContainers ?? []) as Array<{ name: string }>)].map((c) => c.name);
  if (!wanted) {
    if (containers.length === 1) return containers[0]!.name;
    if (containers.length === 0) throw apiErrors.badRequest(`a container name must be specified for pod ${name}`);
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${every.join(' ')}]`);
  }
  if (!every.includes(wanted)) throw apiErrors.badRequest(`container ${wanted} is not valid for pod ${name}`);
  return wanted;
}

async function podOf(call: SubresourceConnectCall): Promise<V1Pod> {
  return (await call.registry.get(call.def, call.namespace, call.name)) as unknown as V1Pod;
}

/** the pod's node and where its kubelet listens */
async function kubeletOf(call: SubresourceConnectCall, pod: V1Pod): Promise<Omit<ConnectTarget, 'path'>> {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw apiErrors.badRequest(`pod ${call.name} does not have a host assigned`);
  const nodeDef = call.registry.lookup({ group: '', version: 'v1', kind: 'Node' });
  if (!nodeDef) throw apiErrors.internal('the Node kind is not served');
  return kubeletLocation(await call.registry.get(nodeDef, '', nodeName));
}

const segment = encodeURIComponent;
const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

async function locateStream(call: SubresourceConnectCall, kind: 'exec' | 'attach'): Promise<ConnectTarget> {
  const options = kind === 'exec' ? parsePodExecOptions(call.query) : parsePodAttachOptions(call.query);
  const pod = await podOf(call);
  const container = streamContainerOf(pod, options.container);
  const kubelet = await kubeletOf(call, pod);
  const path = `/${kind}/${segment(call.namespace)}/${segment(call.name)}/${segment(container)}`;
  return { ...kubelet, path: withQuery(path, kubeletStreamQuery(options)) };
}

async function locatePortForward(call: SubresourceConnectCall): Promise<ConnectTarget> {
  const options = parsePodPortForwardOptions(call.query);
  const pod = await podOf(call);
  const kubelet = await kubeletOf(call, pod);
  const path = `/portForward/${segment(call.namespace)}/${segment(call.name)}`;
  return { ...kubelet, path: withQuery(path, kubeletPortForwardQuery(options)) };
}

/** GET for WebSocket clients (browsers can only GET), POST for SPDY — kube's upgradeableMethods */
const UPGRADEABLE_METHODS = ['GET', 'POST'] as const;

export const podExecConnect: ConnectDef = { methods: UPGRADEABLE_METHODS, upgradeRequired: true, locate: (call) => locateStream(call, 'exec') };
export const podAttachConnect: ConnectDef = { methods: UPGRADEABLE_METHODS, upgradeRequired: true, locate: (call) => locateStream(call, 'attach') };
export const podPortForwardConnect: ConnectDef = { methods: UPGRADEABLE_METHODS, upgradeRequired: true, locate: locatePortForward };
