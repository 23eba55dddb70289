/**
 * The objects the scheduler bench writes. Nodes are plain API objects (no kubelet behind
 * them, as in kube's scheduler_perf): created, then given a Ready status by a PUT to the
 * status subresource, as a kubelet registering would. Pods carry no nodeName, so only the
 * scheduler can place them; their small cpu request keeps NodeResourcesFit honest.
 *
 * With no kubelet renewing a Lease, a node lifecycle controller would in time taint these
 * nodes not-ready/unreachable; the pods tolerate those taints so a long case still
 * measures scheduling, not a cluster that has written its nodes off.
 */

export const NAMESPACE = 'default';
export const nodeName = (i: number): string => `bench-node-${i}`;
export const podName = (i: number): string => `sched-bench-${i}`;

/** what each node offers the scheduler */
export const NODE_ALLOCATABLE = { cpu: '32', memory: '128Gi', pods: '110' } as const;

export function nodeBody(i: number): string {
  const name = nodeName(i);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: {},
  });
}

/** the node as created (JSON from the 201) with capacity, allocatable and Ready=True: the body for PUT .../status */
export function withReadyStatus(created: Buffer | string, now: Date): string {
  const node = JSON.parse(created.toString()) as { status?: unknown };
  const at = now.toISOString().replace(/\.[0-9]{3}Z$/, 'Z');
  node.status = {
    capacity: NODE_ALLOCATABLE,
    allocatable: NODE_ALLOCATABLE,
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench node', lastHeartbeatTime: at, lastTransitionTime: at }],
  };
  return JSON.stringify(node);
}

const TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].flatMap((key) =>
  ['NoSchedule', 'NoExecute'].map((effect) => ({ key, operator: 'Exists', effect })),
);

export function podBody(i: number, cpu: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(i), namespace: NAMESPACE, labels: { app: 'sched-bench' } },
    spec: {
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu, memory: '16Mi' } } }],
      tolerations: TOLERATIONS,
    },
  });
}
