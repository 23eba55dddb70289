/**
 * One node agent, assembled: the kubelet's HTTPS endpoint (logs), the node agent
 * (registration, Lease heartbeat, node status), the pod workers fed by an informer on
 * the pods bound to this node, the prober, the event recorder and the container log
 * rotation — all reaching the cluster only through client/ (ARCHITECTURE.md's rule), so
 * a kubelet on another host is the same code with another URL.
 *
 * Start order: server (its port goes into the Node's daemonEndpoints) -> node agent ->
 * pod workers + informer -> log rotation. stop() undoes it in reverse; it does not kill
 * containers (as a real kubelet restart does not): the runtime owns them.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../client/clock.js';
import { createEventRecorder } from '../client/events/create-event-recorder.js';
import { SharedInformerFactory } from '../client/informers/informer-factory.js';
import type { KubeClient } from '../client/types.js';
import type { Runtime } from './cri/api.js';
import { createContainerLogManager } from './logs/container-log-manager.js';
import { startNodeAgent } from './node/node-agent.js';
import { createPodManager } from './pods/pod-manager.js';
import { createProberManager } from './prober/prober-manager.js';
import { apiServerOnly, startKubeletServer } from './server/kubelet-server.js';
import { streamTargets } from './server/streaming/stream-targets.js';
import { createSummaryProvider } from './server/stats/summary-provider.js';
import { parseQuantity } from '../client/quantity.js';
import { kubeletSettings, type KubeletSettings } from './settings.js';
import { computePodStatus } from './status/compute-pod-status.js';

export interface KubeletOptions {
  nodeName: string;
  /** authenticated as system:node:<nodeName> */
  client: KubeClient;
  runtime: Runtime;
  /** the scheme of containerIDs ('sim', 'runc') */
  runtimeName: string;
  /** this node's data dir: pod logs live under it */
  dataDir: string;
  /** the address the kubelet listens on and reports as the node's InternalIP */
  address: string;
  /** the kubelet's serving certificate, and the CA its clients (the API server) must present */
  tls: { cert: string; key: string; clientCA: string };
  /** capacity = allocatable, e.g. { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity: Record<string, string>;
  podCIDR?: string;
  kubeletVersion: string;
  /** per-node identity for nodeInfo (in-process nodes share one host, so the host's ids would repeat) */
  machineID?: string;
  systemUUID?: string;
  /** labels beyond kube's well-known ones */
  extraLabels?: Record<string, string>;
  settings?: Partial<KubeletSettings>;
  /**
   * set up pod volumes on the host (DATA_DIR/pods/<uid>/volumes): for runtimes that run real
   * containers; the simulated runtime ignores mounts, so its nodes skip the host work
   */
  hostVolumes?: boolean;
  clock?: Clock;
  logger: Logger;
}

export interface Kubelet {
  nodeName: string;
  /** the kubelet's HTTPS port */
  port: number;
  stop(): Promise<void>;
}

export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const clock = opts.clock ?? realClock;
  const settings = kubeletSettings(opts.settings);
  const logger = opts.logger.child({ node: opts.nodeName });
  const undo: Array<() => Promise<unknown> | unknown> = [];
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err }, 'kubelet: a shutdown step failed');
      }
    }
  };

  try {
    const recorder = createEventRecorder({ client: opts.client, source: { component: 'kubelet', host: opts.nodeName }, clock, logger });
    undo.push(async () => {
      await recorder.flush();
      recorder.stop();
    });

    const pods = createPodManager({
      nodeName: opts.nodeName,
      client: opts.client,
      runtime: opts.runtime,
      runtimeName: opts.runtimeName,
      recorder,
      clock,
      settings,
      logRoot: opts.dataDir,
      ...(opts.hostVolumes ? { volumeRoot: join(opts.dataDir, 'pods') } : {}),
      hostIP: opts.address,
      createProber: createProberManager,
      computeStatus: computePodStatus,
      logger,
    });
    undo.push(() => pods.stop());

    // /stats/summary: CPU rates come from a periodic sampler, as kube's do
    const memoryCapacityBytes = parseQuantity(opts.capacity.memory);
    const stats = createSummaryProvider({ nodeName: opts.nodeName, runtime: opts.runtime, clock, logger, samplingIntervalMs: settings.statsSamplingIntervalMs, ...(memoryCapacityBytes !== undefined && { memoryCapacityBytes }) });
    stats.start();
    undo.push(() => stats.stop());

    const server = await startKubeletServer({
      stats,
      address: opts.address,
      port: 0,
      tls: opts.tls,
      authorizedClients: apiServerOnly,
      clock,
      logger,
      streaming: {
        runtime: opts.runtime.streaming,
        runtimeName: opts.runtimeName === 'sim' ? 'simulated' : opts.runtimeName,
        targets: streamTargets(opts.runtime, pods),
        settings: { streamingConnectionIdleTimeoutMs: settings.streamingConnectionIdleTimeoutMs, streamCreationTimeoutMs: settings.streamCreationTimeoutMs },
      },
      async locateContainer(namespace, pod, container, previous) {
        const found = await pods.findContainer(namespace, pod, container, previous);
        if (!found) return undefined;
        return {
          logPath: found.logPath,
          isRunning: async () => (await pods.findContainer(namespace, pod, container, previous))?.running === true,
        };
      },
    });
    undo.push(() => server.close());

    const agent = await startNodeAgent({
      client: opts.client,
      nodeName: opts.nodeName,
      runtime: opts.runtime,
      clock,
      settings,
      capacity: opts.capacity,
      ...(opts.podCIDR !== undefined && { podCIDR: opts.podCIDR }),
      address: opts.address,
      hostname: opts.nodeName,
      kubeletPort: server.port,
      kubeletVersion: opts.kubeletVersion,
      ...(opts.machineID && { machineID: opts.machineID }),
      ...(opts.systemUUID && { systemUUID: opts.systemUUID }),
      ...(opts.extraLabels && { extraLabels: opts.extraLabels }),
      logger,
    });
    undo.push(() => agent.stop());

    // pods bound to this node, whoever bound them (the scheduler, or the user via spec.nodeName)
    const abort = new AbortController();
    const informers = new SharedInformerFactory(opts.client, { clock, logger, resyncPeriodMs: 0 });
    // (client/ objects are plain JSON; the pod workers read them as V1Pod)
    informers.informerFor('v1', 'Pod', { fieldSelector: `spec.nodeName=${opts.nodeName}` }).addEventHandler({
      onAdd: (pod) => pods.podUpdated(pod as V1Pod),
      onUpdate: (_old, pod) => pods.podUpdated(pod as V1Pod),
      onDelete: (pod) => {
        pods.podDeleted(pod as V1Pod);
        // a deleted pod's exec, attach and port-forward connections end with it
        server.closePodStreams((pod as V1Pod).metadata?.namespace ?? '', (pod as V1Pod).metadata?.name ?? '');
      },
    });
    informers.start(abort.signal);
    undo.push(async () => {
      abort.abort();
      await informers.shutdown();
    });

    const logs = createContainerLogManager({ runtime: opts.runtime, clock, settings, logger });
    logs.start();
    undo.push(() => logs.stop());

    logger.info(`kubelet ${opts.nodeName}: serving on ${opts.address}:${server.port}, runtime ${opts.runtimeName}`);
    return { nodeName: opts.nodeName, port: server.port, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
