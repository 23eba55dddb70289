/**
 * The prober manager on a FakeClock with a scripted runtime: schedules (initial delay,
 * period, timeout), thresholds, startup gating, events, onChange, and that every way of
 * stopping leaves no timer behind.
 */
import t from 'tap';
import { pino } from 'pino';
import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { FakeClock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { ProbeAction, ProbeContainerResponse } from '../cri/api.js';
import { createProberManager } from './prober-manager.js';
import type { ProberManager } from './types.js';

/** 'ok', 'fail:<message>', 'throw:<message>' or 'hang' (never answers) */
type Answer = string;

interface Call {
  at: number;
  containerId: string;
  probe: ProbeAction;
  timeoutSeconds: number;
}

function harness(script: (call: Call, index: number) => Answer = () => 'ok') {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const events: Array<{ regarding: unknown; type: string; reason: string; message: string; fieldPath?: string }> = [];
  const changes: string[] = [];
  const recorder: EventRecorder = {
    event: (regarding, type, reason, message, opts) => events.push({ regarding, type, reason, message, fieldPath: opts?.fieldPath }),
  };
  const runtime = {
    probeContainer(req: { containerId: string; probe: ProbeAction; timeoutSeconds: number }): Promise<ProbeContainerResponse> {
      const call = { at: clock.now(), ...req };
      calls.push(call);
      const answer = script(call, calls.length - 1);
      if (answer === 'ok') return Promise.resolve({ result: 'SUCCESS', message: '' });
      if (answer.startsWith('fail:')) return Promise.resolve({ result: 'FAILURE', message: answer.slice(5) });
      if (answer.startsWith('throw:')) return Promise.reject(new Error(answer.slice(6)));
      return new Promise(() => {});
    },
  };
  const manager = createProberManager({ runtime, recorder, clock, onChange: (uid) => changes.push(uid), logger: pino({ level: 'silent' }) });
  return { clock, calls, events, changes, manager, start: clock.now() };
}

const exec: V1Probe = { exec: { command: ['true'] } };

function pod(container: V1Container): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'uid-1' }, spec: { containers: [container] }, status: { podIP: '10.0.0.5' } };
}

function addWeb(h: ReturnType<typeof harness>, probes: Partial<Pick<V1Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe' | 'ports'>>, id = 'c1'): V1Container {
  const container: V1Container = { name: 'web', image: 'web:1', ...probes };
  h.manager.addContainer(pod(container), container, id, h.clock.now());
  return container;
}

const seconds = (h: ReturnType<typeof harness>) => h.calls.map((c) => (c.at - h.start) / 1000);

t.test('initial delay, then every period, with the timeout passed on', async (t) => {
  const h = harness();
  addWeb(h, { livenessProbe: { ...exec, initialDelaySeconds: 5, periodSeconds: 3, timeoutSeconds: 2 } });
  await h.clock.advance(4_999);
  t.equal(h.calls.length, 0, 'nothing before initialDelaySeconds');
  await h.clock.advance(1 + 6_000);
  t.same(seconds(h), [5, 8, 11]);
  t.same(h.calls[0], { at: h.start + 5000, containerId: 'c1', probe: { exec: { command: ['true'] } }, timeoutSeconds: 2 });
  h.manager.stop();
  t.equal(h.clock.pending, 0);
});

t.test('defaults: period 10 s, timeout 1 s, first run at once', async (t) => {
  const h = harness();
  addWeb(h, { readinessProbe: exec });
  await h.clock.advance(20_000);
  t.same(seconds(h), [0, 10, 20]);
  t.equal(h.calls[0]!.timeoutSeconds, 1);
  h.manager.stop();
});

t.test('the initial delay counts from the container start, not from addContainer', async (t) => {
  const h = harness();
  const container: V1Container = { name: 'web', readinessProbe: { ...exec, initialDelaySeconds: 10 } };
  h.manager.addContainer(pod(container), container, 'c1', h.clock.now() - 7_000);
  await h.clock.advance(3_000);
  t.same(seconds(h), [3]);
  h.manager.stop();
});

t.test('thresholds', async (t) => {
  type Row = { name: string; kind: 'readinessProbe' | 'livenessProbe' | 'startupProbe'; success?: number; failure?: number; script: Answer[]; answer: 'isReady' | 'livenessFailed' | 'isStarted'; want: boolean[] };
  const rows: Row[] = [
    { name: 'readiness: first success makes ready', kind: 'readinessProbe', script: ['fail:x', 'ok', 'ok'], answer: 'isReady', want: [false, true, true] },
    { name: 'readiness: 3 failures (default) to flip back', kind: 'readinessProbe', script: ['ok', 'fail:x', 'fail:x', 'fail:x'], answer: 'isReady', want: [true, true, true, false] },
    { name: 'readiness: successThreshold 2', kind: 'readinessProbe', success: 2, failure: 1, script: ['ok', 'ok', 'fail:x', 'ok', 'ok'], answer: 'isReady', want: [false, true, false, false, true] },
    { name: 'readiness: a success breaks the failure run', kind: 'readinessProbe', failure: 2, script: ['ok', 'fail:x', 'ok', 'fail:x', 'fail:x'], answer: 'isReady', want: [true, true, true, true, false] },
    { name: 'liveness: 3 consecutive failures', kind: 'livenessProbe', script: ['fail:x', 'fail:x', 'ok', 'fail:x', 'fail:x', 'fail:x'], answer: 'livenessFailed', want: [false, false, false, false, false, true] },
    { name: 'liveness: failureThreshold 1', kind: 'livenessProbe', failure: 1, script: ['ok', 'fail:x'], answer: 'livenessFailed', want: [false, true] },
    { name: 'startup: success starts', kind: 'startupProbe', script: ['fail:x', 'ok'], answer: 'isStarted', want: [false, true] },
    { name: 'startup: failures past the threshold fail liveness', kind: 'startupProbe', failure: 2, script: ['fail:x', 'fail:x'], answer: 'livenessFailed', want: [false, true] },
  ];
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const h = harness((_, i) => row.script[i] ?? 'ok');
      addWeb(h, { [row.kind]: { ...exec, periodSeconds: 1, successThreshold: row.success, failureThreshold: row.failure } });
      const seen: boolean[] = [];
      for (let i = 0; i < row.script.length; i++) {
        await h.clock.advance(i === 0 ? 0 : 1_000);
        seen.push(h.manager[row.answer]('c1'));
      }
      t.same(seen, row.want);
      t.equal(h.calls.length, row.script.length, 'one probe per period');
      h.manager.stop();
      t.equal(h.clock.pending, 0);
    });
  }
});

t.test('answers without probes, and for unknown containers', async (t) => {
  const h = harness();
  addWeb(h, {});
  t.same([h.manager.isReady('c1'), h.manager.isStarted('c1'), h.manager.livenessFailed('c1')], [true, true, false]);
  t.same([h.manager.isReady('nope'), h.manager.isStarted('nope'), h.manager.livenessFailed('nope')], [true, true, false]);
  t.equal(h.clock.pending, 0, 'no probes, no timers');
  addWeb(h, { readinessProbe: { ...exec, initialDelaySeconds: 60 } }, 'c2');
  t.equal(h.manager.isReady('c2'), false, 'not ready until the readiness probe passes');
  h.manager.stop();
});

t.test('after liveness failed, its worker stops', async (t) => {
  const h = harness(() => 'fail:down');
  addWeb(h, { livenessProbe: { ...exec, periodSeconds: 1, failureThreshold: 2 } });
  await h.clock.advance(10_000);
  t.equal(h.calls.length, 2);
  t.equal(h.manager.livenessFailed('c1'), true);
  t.equal(h.clock.pending, 0);
  h.manager.stop();
});

t.test('startup gating: liveness and readiness wait for the startup probe', async (t) => {
  const h = harness((call, i) => (call.probe.exec?.command[0] === 'startup' && i < 2 ? 'fail:not yet' : 'ok'));
  addWeb(h, {
    startupProbe: { exec: { command: ['startup'] }, periodSeconds: 5, failureThreshold: 10 },
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 10, initialDelaySeconds: 3 },
    readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 10 },
  });
  await h.clock.advance(9_000);
  t.same(h.calls.map((c) => c.probe.exec?.command[0]), ['startup', 'startup'], 'only the startup probe runs');
  t.same([h.manager.isStarted('c1'), h.manager.isReady('c1')], [false, false]);
  await h.clock.advance(1_000);
  t.same(
    h.calls.map((c) => [c.probe.exec?.command[0], (c.at - h.start) / 1000]),
    [
      ['startup', 0],
      ['startup', 5],
      ['startup', 10],
      ['live', 10],
      ['ready', 10],
    ],
    'started at 10 s: liveness and readiness run at once (their delay has passed); startup stops',
  );
  t.same([h.manager.isStarted('c1'), h.manager.isReady('c1')], [true, true]);
  t.same(h.changes, ['uid-1', 'uid-1'], 'one change for started, one for ready');
  h.manager.stop();
  t.equal(h.clock.pending, 0);
});

t.test('timeout: a probe that does not answer within timeoutSeconds fails', async (t) => {
  const h = harness((_, i) => (i === 0 ? 'hang' : 'ok'));
  addWeb(h, { readinessProbe: { ...exec, timeoutSeconds: 2, periodSeconds: 5, failureThreshold: 1 } });
  await h.clock.advance(1_999);
  t.equal(h.events.length, 0);
  await h.clock.advance(1);
  t.same(h.events.map((e) => e.message), ['Readiness probe failed: timeout']);
  t.equal(h.manager.isReady('c1'), false);
  await h.clock.advance(3_000);
  t.same(seconds(h), [0, 5], 'the next run keeps the period from the start of the timed-out one');
  t.equal(h.manager.isReady('c1'), true);
  h.manager.stop();
});

t.test('a thrown error is a failure with its message', async (t) => {
  const h = harness(() => 'throw:connection refused');
  addWeb(h, { livenessProbe: { ...exec, failureThreshold: 1 } });
  await h.clock.advance(0);
  t.same(h.events.map((e) => e.message), ['Liveness probe failed: connection refused']);
  t.equal(h.manager.livenessFailed('c1'), true);
  h.manager.stop();
});

t.test('named ports resolve; an unknown one fails every run with a clear message', async (t) => {
  const h = harness();
  addWeb(h, { ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { port: 'http', path: '/healthz' } } });
  await h.clock.advance(0);
  t.same(h.calls[0]!.probe, { httpGet: { host: '10.0.0.5', port: 8080, path: '/healthz', scheme: 'HTTP', httpHeaders: [] } });
  addWeb(h, { readinessProbe: { tcpSocket: { port: 'metrics' } } }, 'c2');
  await h.clock.advance(0);
  t.equal(h.calls.length, 1, 'the runtime is not asked');
  t.same(h.events.map((e) => e.message), ['Readiness probe failed: port "metrics" is not a named port of container "web"']);
  h.manager.stop();
});

t.test('Unhealthy events: on the pod, with the container field path, on every failure', async (t) => {
  const h = harness(() => 'fail:HTTP probe failed with statuscode: 500');
  addWeb(h, { readinessProbe: { ...exec, periodSeconds: 1 } });
  await h.clock.advance(1_000);
  t.equal(h.events.length, 2);
  const e = h.events[0]!;
  t.same(
    { type: e.type, reason: e.reason, message: e.message, fieldPath: e.fieldPath },
    { type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 500', fieldPath: 'spec.containers{web}' },
  );
  t.match(e.regarding, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'uid-1' } });
  h.manager.stop();
});

t.test('sidecar probes name spec.initContainers', async (t) => {
  const h = harness(() => 'fail:no');
  const sidecar: V1Container = { name: 'proxy', restartPolicy: 'Always', startupProbe: exec };
  const p: V1Pod = { metadata: { name: 'p', uid: 'uid-1' }, spec: { initContainers: [sidecar], containers: [{ name: 'web' }] } };
  h.manager.addContainer(p, sidecar, 's1', h.clock.now());
  await h.clock.advance(0);
  t.same([h.events[0]?.message, h.events[0]?.fieldPath], ['Startup probe failed: no', 'spec.initContainers{proxy}']);
  t.match(h.events[0]?.regarding, { apiVersion: 'v1', kind: 'Pod' }, 'apiVersion and kind filled in');
  h.manager.stop();
});

t.test('onChange only when an answer changes', async (t) => {
  const script = ['ok', 'ok', 'fail:x', 'ok', 'fail:x', 'fail:x'];
  const h = harness((_, i) => script[i] ?? 'ok');
  addWeb(h, { readinessProbe: { ...exec, periodSeconds: 1, failureThreshold: 2 } });
  const counts: number[] = [];
  for (let i = 0; i < script.length; i++) {
    await h.clock.advance(i === 0 ? 0 : 1_000);
    counts.push(h.changes.length);
  }
  t.same(counts, [1, 1, 1, 1, 1, 2]);
  h.manager.stop();
});

t.test('stopping: removeContainer, removePod, stop, replacement; late answers are dropped', async (t) => {
  const probes = { livenessProbe: exec, readinessProbe: exec };
  t.test('removeContainer', async (t) => {
    const h = harness();
    addWeb(h, probes);
    t.equal(h.clock.pending, 2);
    h.manager.removeContainer('c1');
    t.equal(h.clock.pending, 0);
    await h.clock.advance(60_000);
    t.equal(h.calls.length, 0);
  });
  t.test('removePod leaves other pods alone', async (t) => {
    const h = harness();
    addWeb(h, probes);
    const other: V1Container = { name: 'web', readinessProbe: exec };
    h.manager.addContainer({ metadata: { uid: 'uid-2' }, spec: { containers: [other] } }, other, 'c9', h.clock.now());
    h.manager.removePod('uid-1');
    t.equal(h.clock.pending, 1);
    h.manager.removePod('uid-2');
    t.equal(h.clock.pending, 0);
  });
  t.test('stop, and addContainer after stop does nothing', async (t) => {
    const h = harness();
    addWeb(h, probes);
    h.manager.stop();
    t.equal(h.clock.pending, 0);
    addWeb(h, probes, 'c2');
    t.equal(h.clock.pending, 0);
  });
  t.test('a new container id replaces the old workers; re-adding the same id is a no-op', async (t) => {
    const h = harness();
    addWeb(h, probes);
    addWeb(h, probes);
    t.equal(h.clock.pending, 2);
    addWeb(h, probes, 'c2');
    t.equal(h.clock.pending, 2);
    await h.clock.advance(0);
    t.same(h.calls.map((c) => c.containerId), ['c2', 'c2']);
    t.equal(h.manager.isReady('c1'), true, 'the old id is forgotten');
    h.manager.stop();
    t.equal(h.clock.pending, 0);
  });
  t.test('an answer arriving after removal changes nothing', async (t) => {
    let answer: (r: ProbeContainerResponse) => void = () => {};
    const container: V1Container = { name: 'web', readinessProbe: { ...exec, timeoutSeconds: 30 } };
    const clock = new FakeClock();
    const changes: string[] = [];
    const manager: ProberManager = createProberManager({
      runtime: { probeContainer: () => new Promise((resolve) => (answer = resolve)) },
      recorder: { event: () => t.fail('no event expected') },
      clock,
      onChange: (uid) => changes.push(uid),
      logger: pino({ level: 'silent' }),
    });
    manager.addContainer(pod(container), container, 'c1', clock.now());
    await clock.advance(0);
    manager.removeContainer('c1');
    answer({ result: 'FAILURE', message: 'late' });
    await clock.advance(60_000);
    t.same(changes, []);
    t.equal(clock.pending, 0);
    manager.stop();
  });
});
