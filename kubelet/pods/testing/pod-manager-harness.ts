/**
 * A pod manager wired for tests: the simulated runtime, the real prober and status
 * function, a FakeClock, a FakePodClient that feeds written statuses back like an
 * informer, and a recorder. `tick` moves the clock in steps and waits for every sync to
 * finish after each, so tests assert on a quiet kubelet without sleeping.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { pino } from 'pino';
import { FakeClock } from '../../../client/clock.js';
import type { Runtime } from '../../cri/api.js';
import { createProberManager } from '../../prober/prober-manager.js';
import { createSimulatedRuntime } from '../../runtime/simulated/index.js';
import { kubeletSettings, type KubeletSettings } from '../../settings.js';
import { computePodStatus } from '../../status/compute-pod-status.js';
import { createPodManager, type PodManagerWithInternals } from '../pod-manager.js';
import { FakePodClient } from './fake-pod-client.js';
import { RecordingEventRecorder } from './recording-event-recorder.js';

export interface RuntimeCall {
  method: string;
  req: unknown;
  /** the fake clock's time of the call */
  at: number;
}

export interface Harness {
  clock: FakeClock;
  runtime: Runtime;
  /** runtime calls worth asserting on (stopContainer, execSync, probeContainer for hooks, sandbox calls) */
  calls: RuntimeCall[];
  client: FakePodClient;
  recorder: RecordingEventRecorder;
  manager: PodManagerWithInternals;
  logRoot: string;
  /** put the pod in the fake API and tell the manager, as the informer would */
  submit(pod: V1Pod): Promise<void>;
  /** advance the clock by `ms` in `stepMs` steps, waiting for quiet after each */
  tick(ms: number, stepMs?: number): Promise<void>;
  status(name: string, namespace?: string): NonNullable<V1Pod['status']>;
  stop(): Promise<void>;
}

const RECORDED = new Set(['stopContainer', 'execSync', 'runPodSandbox', 'stopPodSandbox', 'removePodSandbox', 'removeContainer', 'createContainer', 'pullImage', 'probeContainer']);

export interface HarnessOptions {
  logRoot: string;
  settings?: Partial<KubeletSettings>;
  /** execSync answers (the simulated runtime has no exec) */
  execExitCode?: number;
}

export function startHarness(opts: HarnessOptions): Harness {
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const sim = createSimulatedRuntime({ podCIDR: '10.244.1.0/24', clock, logger });
  const calls: RuntimeCall[] = [];
  const runtime = new Proxy(sim, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      if (prop === 'execSync') {
        return async (req: unknown) => {
          calls.push({ method: prop, req, at: clock.now() });
          return { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: opts.execExitCode ?? 0 };
        };
      }
      return (...args: unknown[]) => {
        if (RECORDED.has(prop)) calls.push({ method: prop, req: args[0], at: clock.now() });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const client = new FakePodClient();
  const recorder = new RecordingEventRecorder();
  const manager = createPodManager({
    nodeName: 'node-1',
    client,
    runtime,
    runtimeName: 'sim',
    recorder,
    clock,
    settings: kubeletSettings(opts.settings),
    logRoot: opts.logRoot,
    hostIP: '192.168.0.10',
    createProber: createProberManager,
    computeStatus: computePodStatus,
    logger,
  });
  // the informer: a written status comes back as an update
  client.onStatusWritten = (pod) => manager.podUpdated(pod);
  let stopped = false;
  return {
    clock,
    runtime,
    calls,
    client,
    recorder,
    manager,
    logRoot: opts.logRoot,
    async submit(pod) {
      client.put(pod);
      manager.podUpdated(structuredClone(pod));
      await manager.whenIdle();
    },
    async tick(ms, stepMs = 1000) {
      for (let done = 0; done < ms; done += stepMs) {
        await clock.advance(Math.min(stepMs, ms - done));
        await manager.whenIdle();
      }
    },
    status(name, namespace = 'default') {
      const pod = client.pod(namespace, name);
      if (!pod?.status) throw new Error(`no status for ${namespace}/${name}`);
      return pod.status;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await manager.stop();
      await sim.close();
    },
  };
}

let uidCounter = 0;

/** a pod bound to node-1 with one container per name; `extra` is merged into spec */
export function makePod(name: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, annotations: Record<string, string> = {}): V1Pod {
  uidCounter++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}-${uidCounter}`, resourceVersion: '1', annotations },
    spec: {
      nodeName: 'node-1',
      restartPolicy: 'Always',
      containers: [{ name: 'main', image: 'busybox:1.36' }],
      ...spec,
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}
