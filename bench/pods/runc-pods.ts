/**
 * The runc half of bench:pods: `k8ts up --nodes 1 --runtime runc` in a child process, with a
 * busybox image already in the node's image store (pull excluded, as in the Kubernetes pod
 * startup SLO), then N pods created `concurrency` at a time (a slot is free again once its pod
 * is Running, so at most that many pods are starting at once). Each pod's latency runs from
 * its create's 201 to the watch event that first shows it Running: scheduler-free (spec.
 * nodeName is set), but with a real netns, CNI, overlay mount, runc and conmon per pod.
 * All pods are deleted again and the cluster stopped, which removes every host resource.
 */
import { join } from 'node:path';
import { ApiClient } from '../api/client.js';
import { startServerProcess } from '../api/server-process.js';
import { round } from '../store/measure.js';
import { ContentStore } from '../../kubelet/images/content-store.js';
import { imageStoreDir } from '../../kubelet/images/image-names.js';
import { buildBusyboxImage } from '../../kubelet/images/testing/busybox-images.js';
import { hostPlatform } from '../../kubelet/images/platform.js';
import { measureCreateToRunning } from './create-to-running.js';

export interface RuncBenchResult {
  runc_p50_ms: number;
  runc_p99_ms: number;
  runc_max_ms: number;
}

const NS = 'default';
const IMAGE = 'docker.io/library/busybox:k8ts-bench';
const podName = (i: number) => `runc-${i}`;

const podBody = (i: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(i), namespace: NS },
    spec: {
      nodeName: 'k8ts-node-1',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
    },
  });

export async function runcPodsBench(dataDir: string, pods: number, concurrency: number, timeoutS: number): Promise<RuncBenchResult> {
  const store = await ContentStore.open(imageStoreDir(dataDir));
  await buildBusyboxImage(store, { tag: IMAGE, arch: hostPlatform().architecture });
  const server = await startServerProcess(dataDir, 'level', ['--nodes', '1', '--runtime', 'runc', '--pod-cidr', '10.254.0.0/16']);
  const client = new ApiClient(server.url, server.credentials, concurrency + 8);
  try {
    // the node must be registered before its pods can start
    for (let i = 0; ; i++) {
      const res = await client.request('GET', '/api/v1/nodes/k8ts-node-1');
      if (res.status === 200) break;
      if (i > 300) throw new Error('node k8ts-node-1 did not register');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { latencies } = await measureCreateToRunning(client, { namespace: NS, pods, concurrency, timeoutS, podName, podBody, errorPrefix: 'runc: ', slotUntilRunning: true });
    await client.request('DELETE', `/api/v1/namespaces/${NS}/pods`);
    return { runc_p50_ms: round(latencies.percentile(50), 1), runc_p99_ms: round(latencies.percentile(99), 1), runc_max_ms: round(latencies.max(), 1) };
  } finally {
    client.close();
    await server.stop();
  }
}

export const runcBenchDataDir = (parent: string): string => join(parent, 'runc');
