/**
 * pods/log (GET /api/v1/namespaces/NS/pods/NAME/log): kube-apiserver's LogREST. The API
 * server keeps no logs; it finds the pod's node and proxies the request to that node's
 * kubelet (GET https://<node address>:<kubelet port>/containerLogs/NS/NAME/CONTAINER?…),
 * streaming the kubelet's bytes back as they come, so `kubectl logs -f` follows.
 *
 * In kube's order:
 *   1. the query as PodLogOptions: malformed numbers or times are 400; then
 *      ValidatePodLogOptions — negative tailLines, limitBytes/sinceSeconds below 1, or
 *      sinceSeconds with sinceTime — is a 422 Invalid for kind PodLogOptions;
 *   2. the pod (404 when missing) and the container: none given and several in the pod is
 *      400 `a container name must be specified for pod P, choose one of: [i a b]` (init,
 *      regular, then ephemeral containers, as kube 1.33 lists them; like kube, the
 *      default-container annotation is left to kubectl); an unknown name is 400
 *      `container C is not valid for pod P`;
 *   3. the node: a pod not scheduled is 400 `pod P does not have a host assigned` (kube
 *      answers an empty 200 here; a clear error helps more, and exec/attach already say it);
 *   4. the kubelet: its errors come back with its text (kubelet-client/kubelet-get.ts).
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { StreamResponse, SubresourceStreamCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { kubeletGet } from '../../kubelet-client/kubelet-get.js';
import { kubeletLocation } from '../../kubelet-client/kubelet-location.js';

type Query = SubresourceStreamCall['query'];

/** PodLogOptions, as kube's parameter codec reads them from the query */
export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  insecureSkipTLSVerifyBackend: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

const first = (query: Query, key: string): string | undefined => {
  const v = query[key];
  return Array.isArray(v) ? v[0] : v;
};

/** Go's rule for a bool query parameter: present and not "false"/"0" */
const bool = (query: Query, key: string): boolean => {
  const v = first(query, key);
  return v !== undefined && v.toLowerCase() !== 'false' && v !== '0';
};

function int64(query: Query, key: string): number | undefined {
  const v = first(query, key);
  if (v === undefined || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

export function parsePodLogOptions(query: Query, podName: string): PodLogOptions {
  const sinceTime = first(query, 'sinceTime');
  if (sinceTime !== undefined && sinceTime !== '' && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime)))) {
    throw apiErrors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as RFC3339`);
  }
  const container = first(query, 'container');
  const options: PodLogOptions = {
    follow: bool(query, 'follow'),
    previous: bool(query, 'previous'),
    timestamps: bool(query, 'timestamps'),
    insecureSkipTLSVerifyBackend: bool(query, 'insecureSkipTLSVerifyBackend'),
    ...(container ? { container } : {}),
  };
  const sinceSeconds = int64(query, 'sinceSeconds');
  const tailLines = int64(query, 'tailLines');
  const limitBytes = int64(query, 'limitBytes');
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  if (sinceTime) options.sinceTime = sinceTime;
  if (tailLines !== undefined) options.tailLines = tailLines;
  if (limitBytes !== undefined) options.limitBytes = limitBytes;

  // kube's ValidatePodLogOptions
  const errors: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errors.push(fieldErrors.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) errors.push(fieldErrors.invalid('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && options.sinceTime !== undefined) {
    errors.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    errors.push(fieldErrors.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  }
  if (errors.length > 0) throw apiErrors.invalid('PodLogOptions', '', podName, errors);
  return options;
}

/** kube's validateContainer for logs */
export function logContainerOf(pod: V1Pod, wanted: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  const containers: V1Container[] = pod.spec?.containers ?? [];
  const inits: V1Container[] = pod.spec?.initContainers ?? [];
  const ephemeral = (pod.spec?.ephemeralContainers ?? []) as Array<{ name: string }>;
  if (!wanted) {
    if (containers.length === 1) return containers[0]!.name;
    if (containers.length === 0) throw apiErrors.badRequest(`a container name must be specified for pod ${name}`);
    // kube (1.2x+) lists every container podutil.VisitContainers sees — init, then regular,
    // then ephemeral — printed as Go prints a []string; the server never reads the
    // kubectl.kubernetes.io/default-container annotation (kubectl applies it client-side)
    const all = [...inits, ...containers, ...ephemeral].map((c) => c.name);
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (![...containers, ...inits, ...ephemeral].some((c) => c.name === wanted)) throw apiErrors.badRequest(`container ${wanted} is not valid for pod ${name}`);
  return wanted;
}

/**
 * sinceTime as kube forwards it to the kubelet: metav1.Time parses the RFC3339 text and
 * LogLocation prints it back with Go's time.RFC3339, which has no fraction — so the
 * kubelet sees the instant truncated to whole seconds (written here in UTC; the instant
 * is what counts).
 */
export function kubeletSinceTime(text: string): string {
  const ms = Date.parse(text);
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** the kubelet's /containerLogs query for these options */
function kubeletQuery(options: PodLogOptions): string {
  const q = new URLSearchParams();
  if (options.follow) q.set('follow', 'true');
  if (options.previous) q.set('previous', 'true');
  if (options.timestamps) q.set('timestamps', 'true');
  if (options.sinceSeconds !== undefined) q.set('sinceSeconds', String(options.sinceSeconds));
  if (options.sinceTime !== undefined) q.set('sinceTime', kubeletSinceTime(options.sinceTime));
  if (options.tailLines !== undefined) q.set('tailLines', String(options.tailLines));
  if (options.limitBytes !== undefined) q.set('limitBytes', String(options.limitBytes));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export async function streamPodLog(call: SubresourceStreamCall): Promise<StreamResponse> {
  const options = parsePodLogOptions(call.query, call.name);
  const pod = (await call.registry.get(call.def, call.namespace, call.name)) as unknown as V1Pod;
  const container = logContainerOf(pod, options.container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw apiErrors.badRequest(`pod ${call.name} does not have a host assigned`);

  const nodeDef = call.registry.lookup({ group: '', version: 'v1', kind: 'Node' });
  if (!nodeDef) throw apiErrors.internal('the Node kind is not served');
  const location = kubeletLocation(await call.registry.get(nodeDef, '', nodeName));
  const credentials = call.services.kubeletClient;
  if (!credentials) throw apiErrors.unavailable(`the API server has no kubelet client certificate: cannot reach the kubelet on node "${nodeName}"`);

  const segment = encodeURIComponent;
  const body = await kubeletGet({
    location,
    path: `/containerLogs/${segment(call.namespace)}/${segment(call.name)}/${segment(container)}${kubeletQuery(options)}`,
    credentials,
    insecureSkipTLSVerify: options.insecureSkipTLSVerifyBackend,
    signal: call.signal,
  });
  // a client that leaves ends the kubelet request too (it stops following)
  call.signal.addEventListener('abort', () => body.destroy(), { once: true });
  return { code: 200, contentType: 'text/plain', body };
}
