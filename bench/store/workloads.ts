/** The store bench workloads: create-if-absent, CAS update, full list, watch latency. */
import { prefixEnd, type MvccStore, type WatchEvent } from '../../store/types.js';
import { Latencies, median, runConcurrent, type RunResult } from './measure.js';

const encoder = new TextEncoder();

/**
 * A pod-like JSON value of about 1.5 KB, built once; each call varies the name, the
 * generation and a uid-ish annotation. Encoding ~1.5 KB per op is part of the measured cost,
 * as it would be in an API server.
 */
export class PodValues {
  /** literal JSON pieces alternating with holes: even index = literal, odd = 'name' | 'gen' */
  private readonly pieces: string[];

  constructor(namespace = 'default') {
    const pod = podTemplate(namespace, '@@NAME@@', '@@GEN@@');
    // the generation hole replaces the quoted marker so the field stays a JSON number
    this.pieces = JSON.stringify(pod).split(/(@@NAME@@|"@@GEN@@")/);
  }

  /** bytes of the JSON for this pod name and generation */
  value(name: string, generation: number): Uint8Array {
    let s = '';
    for (let i = 0; i < this.pieces.length; i++) {
      const p = this.pieces[i] ?? '';
      s += i % 2 === 0 ? p : p === '@@NAME@@' ? name : String(generation);
    }
    return encoder.encode(s);
  }
}

function podTemplate(namespace: string, name: string, generation: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: '6f1c2a4e-8d3b-4c1f-9a7e-2b5d0e9cf00d',
      generation,
      creationTimestamp: '2024-11-24T05:00:00Z',
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '7d9c8b6f5' },
      annotations: { 'bench/seq': name },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c8b6f5', uid: '0b7e1f3c-2a9d-4e6b-8c5f-1d3a7e9b2c4f', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/team/web:1.27.3',
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: 'node-17',
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2024-11-24T05:00:07Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-11-24T05:00:00Z' },
      ],
      hostIP: '10.0.3.17',
      podIP: '10.244.17.42',
      startTime: '2024-11-24T05:00:00Z',
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/team/web:1.27.3',
          started: true,
          state: { running: { startedAt: '2024-11-24T05:00:03Z' } },
        },
      ],
      qosClass: 'Burstable',
    },
  };
}

export interface Keyspace {
  prefix: string;
  key(i: number): string;
  name(i: number): string;
}

export function keyspace(prefix: string, namePrefix: string): Keyspace {
  const name = (i: number): string => `${namePrefix}-${String(i).padStart(6, '0')}`;
  return { prefix, name, key: (i) => prefix + name(i) };
}

/**
 * Create-if-absent: compare createRevision = 0, then put. Records each key's modRevision
 * (the txn's revision) into modRevisions[i] for the CAS workload.
 */
export function createIfAbsent(
  store: MvccStore,
  ks: Keyspace,
  values: PodValues,
  ops: number,
  concurrency: number,
  modRevisions: Float64Array | undefined,
  maxMs?: number,
): Promise<RunResult> {
  return runConcurrent(
    ops,
    concurrency,
    async (i) => {
      const key = ks.key(i);
      const r = await store.txn({
        compare: [{ key, target: 'createRevision', result: '=', value: 0 }],
        success: [{ type: 'put', key, value: values.value(ks.name(i), 1) }],
      });
      if (modRevisions !== undefined && r.succeeded) modRevisions[i] = r.revision;
      return r.succeeded;
    },
    maxMs,
  );
}

/** CAS update: compare modRevision = the known one, then put; keeps modRevisions current. */
export function casUpdate(
  store: MvccStore,
  ks: Keyspace,
  values: PodValues,
  ops: number,
  concurrency: number,
  modRevisions: Float64Array,
  keys: number,
): Promise<RunResult> {
  return runConcurrent(ops, concurrency, async (n) => {
    const i = n % keys;
    const key = ks.key(i);
    const r = await store.txn({
      compare: [{ key, target: 'modRevision', result: '=', value: modRevisions[i] ?? 0 }],
      success: [{ type: 'put', key, value: values.value(ks.name(i), 2 + Math.floor(n / keys)) }],
    });
    if (r.succeeded) modRevisions[i] = r.revision;
    return r.succeeded;
  });
}

export interface ListResult {
  runsMs: number[];
  medianMs: number;
  bestMs: number;
  count: number;
}

/** Full range over the prefix, `runs` times; returns every run's time and the key count. */
export async function listPrefix(store: MvccStore, prefix: string, runs: number): Promise<ListResult> {
  const runsMs: number[] = [];
  let count = -1;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = await store.range(prefix, prefixEnd(prefix));
    runsMs.push(performance.now() - t0);
    if (count >= 0 && res.kvs.length !== count) throw new Error(`list returned ${res.kvs.length} keys, earlier ${count}`);
    count = res.kvs.length;
  }
  return { runsMs, medianMs: median(runsMs), bestMs: Math.min(...runsMs), count };
}

export interface WatchLatencyResult {
  writes: number;
  latencies: Latencies;
  /** time from issuing the write to the watcher receiving its event (includes the durable commit) */
  fromIssue: Latencies;
  /** events that arrived no later than the write's ack (counted as 0 ms) */
  beforeAck: number;
  /** writes whose event never arrived within the timeout */
  missing: number;
  elapsedMs: number;
}

/**
 * Watch latency: one prefix watcher; writes issued one at a time; latency = time from the
 * write's promise resolving (ack) to the watcher receiving the event, clamped at 0 when the
 * event arrives first. Each write waits for its event before the next one is issued.
 */
export async function watchLatency(
  store: MvccStore,
  ks: Keyspace,
  values: PodValues,
  writes: number,
  timeoutMs = 5_000,
): Promise<WatchLatencyResult> {
  const received = new Map<number, number>();
  let waiting: { revision: number; resolve: () => void } | undefined;
  let stopping = false;
  let consumerError: unknown;
  const watch = store.watch(ks.prefix, { rangeEnd: prefixEnd(ks.prefix) });

  const consumer = (async (): Promise<void> => {
    try {
      for await (const batch of watch) {
        const now = performance.now();
        deliver(batch, now);
      }
    } catch (err) {
      if (!(err instanceof Error && err.name === 'WatchCancelledError' && stopping)) consumerError = err ?? new Error('watch failed');
      if (waiting !== undefined) waiting.resolve();
    }
  })();

  function deliver(batch: WatchEvent[], now: number): void {
    for (const ev of batch) {
      const rev = ev.kv.modRevision;
      received.set(rev, now);
      if (waiting !== undefined && waiting.revision === rev) {
        const w = waiting;
        waiting = undefined;
        w.resolve();
      }
    }
  }

  const latencies = new Latencies(writes);
  const fromIssue = new Latencies(writes);
  let beforeAck = 0;
  let missing = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < writes; i++) {
      if (consumerError !== undefined) break;
      const value = values.value(ks.name(i), 1);
      const issued = performance.now();
      const r = await store.put(ks.key(i), value);
      const ack = performance.now();
      let got = received.get(r.revision);
      if (got === undefined) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiting = { revision: r.revision, resolve };
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
        waiting = undefined;
        got = received.get(r.revision);
      }
      if (got === undefined) {
        missing++;
        continue;
      }
      received.delete(r.revision);
      const lat = got - ack;
      if (lat <= 0) beforeAck++;
      latencies.add(Math.max(0, lat));
      fromIssue.add(got - issued);
    }
  } finally {
    stopping = true;
    watch.cancel();
  }
  const elapsedMs = performance.now() - start;
  let hung: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    consumer.then(() => true),
    new Promise<boolean>((resolve) => {
      hung = setTimeout(() => resolve(false), 2_000);
    }),
  ]);
  clearTimeout(hung);
  if (!ended) console.error('warning: watch iteration did not end within 2 s of cancel()');
  if (consumerError !== undefined) throw new Error(`watcher failed after ${latencies.count} events`, { cause: consumerError });
  return { writes, latencies, fromIssue, beforeAck, missing, elapsedMs };
}
