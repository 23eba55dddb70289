/**
 * kube-scheduler in k8ts: a client of the API only (its own certificate,
 * system:kube-scheduler). Informers feed the cache (nodes, bound pods) and the queue
 * (pending pods of our profiles); one loop pops a pod, runs the synchronous scheduling
 * cycle, assumes the pod on the chosen node and starts the binding WITHOUT waiting for
 * it, so the next pod is scheduled while the bind is in flight. Pods for another
 * spec.schedulerName are left alone.
 */
import { setMaxListeners } from 'node:events';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../client/clock.js';
import { createEventRecorder, type RunningEventRecorder } from '../client/events/create-event-recorder.js';
import { SharedInformerFactory } from '../client/informers/informer-factory.js';
import type { SharedInformer } from '../client/informers/shared-informer.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { SchedulerCache } from './cache/scheduler-cache.js';
import { K8TS_DEFAULT_PLUGINS } from './config/default-plugins.js';
import type { SchedulerConfig } from './config/types.js';
import { DecisionLog } from './decisions/decision-log.js';
import { startDecisionServer, type DecisionServer } from './decisions/decision-server.js';
import { buildFramework } from './framework/build-framework.js';
import type { Framework } from './framework/runtime.js';
import type { ClusterEvent, ClusterEventWithHint } from './framework/types.js';
import { informerListers, type ReadLister } from './informer-listers.js';
import { inTreeRegistry, type Registry } from './plugins/registry.js';
import { PriorityQueue } from './queue/priority-queue.js';
import { ScheduleLoop } from './schedule-loop.js';
import { schedulingGates } from './scheduling-gates.js';

export interface SchedulerOptions {
  client: KubeClient;
  config: SchedulerConfig;
  logger: Logger;
  clock?: Clock;
  registry?: Registry;
  /** serve /debug/decisions over HTTPS with these (omit: no endpoint) */
  decisionServer?: { tls: { cert: string; key: string; ca: string }; port?: number; address?: string };
  /** bindings in flight before the loop waits (default 256) */
  maxInFlightBindings?: number;
  /** tie-breaking between equally scored nodes (tests make it deterministic) */
  random?: () => number;
}

export interface Scheduler {
  /** https://127.0.0.1:PORT, when the decision endpoint runs */
  url?: string;
  decisions: DecisionLog;
  stop(): Promise<void>;
}

const asLister = <T>(informer: SharedInformer<KubeObject>): ReadLister<T> => informer.lister() as unknown as ReadLister<T>;

export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const clock = opts.clock ?? realClock;
  const log = opts.logger;
  const abort = new AbortController();
  setMaxListeners(64, abort.signal); // one listener per informer and waiter
  const factory = new SharedInformerFactory(opts.client, { clock, logger: log });
  // pods that still matter: terminal ones neither need a node nor hold resources
  const podInformer = factory.informerFor('v1', 'Pod', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' });
  const nodeInformer = factory.informerFor('v1', 'Node');
  const pdbInformer = factory.informerFor('policy/v1', 'PodDisruptionBudget');
  const pvcInformer = factory.informerFor('v1', 'PersistentVolumeClaim');
  const nsInformer = factory.informerFor('v1', 'Namespace');
  const listers = informerListers({
    pdbs: asLister(pdbInformer),
    pvcs: asLister(pvcInformer),
    namespaces: asLister(nsInformer),
    services: asLister(factory.informerFor('v1', 'Service')),
    replicaSets: asLister(factory.informerFor('apps/v1', 'ReplicaSet')),
    statefulSets: asLister(factory.informerFor('apps/v1', 'StatefulSet')),
  });

  const cache = new SchedulerCache();
  const recorders: RunningEventRecorder[] = [];
  const frameworks = new Map<string, Framework>();
  const nominatorRef: { queue?: PriorityQueue } = {};
  const nominator = { nominatedPodsForNode: (node: string) => nominatorRef.queue?.nominatedPodsForNode(node) ?? [] };
  const recorderFor = new Map<string, RunningEventRecorder>();
  for (const profile of opts.config.profiles) {
    // events come from the profile's scheduler name, as kube-scheduler's do ("default-scheduler")
    const recorder = createEventRecorder({ client: opts.client, source: { component: profile.schedulerName }, clock, logger: log });
    recorders.push(recorder);
    recorderFor.set(profile.schedulerName, recorder);
    const framework = buildFramework(profile, K8TS_DEFAULT_PLUGINS, opts.registry ?? inTreeRegistry, {
      snapshot: () => cache,
      nominator,
      listers,
      client: opts.client,
      clock,
      logger: log.child({ profile: profile.schedulerName }),
      events: recorder,
    });
    frameworks.set(profile.schedulerName, framework);
  }
  const first = frameworks.values().next().value as Framework;
  const hints = new Map<string, ClusterEventWithHint[]>();
  for (const fw of frameworks.values()) for (const [plugin, events] of fw.eventsToRegister()) hints.set(plugin, [...(hints.get(plugin) ?? []), ...events]);
  const queue = new PriorityQueue({
    less: (a, b) => first.queueSort!.less(a, b),
    clock,
    hints,
    initialBackoffMs: opts.config.podInitialBackoffSeconds * 1000,
    maxBackoffMs: opts.config.podMaxBackoffSeconds * 1000,
    preEnqueue: schedulingGates,
    logger: log,
  });
  nominatorRef.queue = queue;
  queue.run();
  for (const fw of frameworks.values()) fw.setNominator(queue);

  const ours = (pod: V1Pod) => frameworks.has(pod.spec?.schedulerName || 'default-scheduler');
  const move = (event: ClusterEvent, oldObj: unknown, newObj: unknown) => queue.moveAllToActiveOrBackoffQueue(event, oldObj, newObj);

  podInformer.addEventHandler({
    onAdd: (o) => {
      const pod = o as unknown as V1Pod;
      if (pod.spec?.nodeName) {
        cache.addPod(pod);
        queue.assignedPodAdded(pod);
      } else if (ours(pod)) queue.add(pod);
    },
    onUpdate: (o, n) => {
      const oldPod = o as unknown as V1Pod;
      const pod = n as unknown as V1Pod;
      if (pod.spec?.nodeName) {
        if (!oldPod.spec?.nodeName) queue.delete(oldPod);
        cache.updatePod(pod);
        queue.assignedPodUpdated(oldPod, pod);
      } else if (ours(pod)) queue.update(oldPod, pod);
    },
    onDelete: (o) => {
      const pod = o as unknown as V1Pod;
      if (pod.spec?.nodeName || cache.isAssumed(pod)) {
        cache.removePod(pod);
        move({ resource: 'AssignedPod', action: 'Delete' }, pod, undefined);
      }
      if (!pod.spec?.nodeName) queue.delete(pod);
      decisions.forget(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    },
  });
  nodeInformer.addEventHandler({
    onAdd: (n) => {
      cache.addNode(n as unknown as V1Node);
      move({ resource: 'Node', action: 'Add' }, undefined, n);
    },
    onUpdate: (o, n) => {
      cache.updateNode(n as unknown as V1Node);
      if (o !== n) move({ resource: 'Node', action: 'Update' }, o, n);
    },
    onDelete: (n) => {
      cache.removeNode(n as unknown as V1Node);
      move({ resource: 'Node', action: 'Delete' }, n, undefined);
    },
  });
  for (const [informer, resource] of [
    [pdbInformer, 'PodDisruptionBudget'],
    [pvcInformer, 'PersistentVolumeClaim'],
    [nsInformer, 'Namespace'],
  ] as const) {
    informer.addEventHandler({
      onAdd: (n) => move({ resource, action: 'Add' }, undefined, n),
      onUpdate: (o, n) => o !== n && move({ resource, action: 'Update' }, o, n),
      onDelete: (o) => move({ resource, action: 'Delete' }, o, undefined),
    });
  }

  const decisions = new DecisionLog();

  factory.start(abort.signal);
  let server: DecisionServer | undefined;
  let loop: ScheduleLoop | undefined;
  try {
    if (!(await factory.waitForCacheSync(abort.signal))) throw new Error('scheduler: informers stopped before syncing');
    if (opts.decisionServer) server = await startDecisionServer({ log: decisions, stats: () => ({ queue: queue.lengths(), cache: cache.dump(), bindingsInFlight: loop?.inFlightCount() ?? 0 }), ...opts.decisionServer });
  } catch (err) {
    abort.abort();
    queue.close();
    await factory.shutdown();
    throw err;
  }

  loop = new ScheduleLoop({
    queue,
    cache,
    frameworks,
    recorders: recorderFor,
    decisions,
    client: opts.client,
    clock,
    logger: log,
    percentageOfNodesToScore: opts.config.percentageOfNodesToScore,
    maxInFlightBindings: opts.maxInFlightBindings ?? 256,
    ...(opts.random ? { random: opts.random } : {}),
    podLister: (namespace, name) => podInformer.lister().get(name, namespace) as unknown as V1Pod | undefined,
  });
  const running = loop.run(abort.signal);
  log.info(`scheduler: ${frameworks.size} profile(s) (${[...frameworks.keys()].join(', ')})${server ? `, decisions at ${server.url}/debug/decisions` : ''}`);

  let stopping: Promise<void> | undefined;
  return {
    ...(server ? { url: server.url } : {}),
    decisions,
    stop: () =>
      (stopping ??= (async () => {
        abort.abort();
        queue.close();
        await running.catch(() => undefined);
        await loop.drain();
        await Promise.all(recorders.map((r) => r.flush()));
        for (const r of recorders) r.stop();
        await factory.shutdown();
        await server?.close();
      })()),
  };
}
