/**
 * kube's pod-status rules, one table row each: container states, restart counts, phase,
 * conditions with their messages and transition times, addresses, and stability.
 */
import t from 'tap';
import type { V1Container, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { ContainerState, ContainerStatus } from '../cri/api.js';
import { computePodStatus } from './compute-pod-status.js';
import type { PodStatusInput } from './types.js';

const SEC = 1e9;
const T0 = Date.UTC(2026, 0, 1) * 1e6; // nanoseconds
const at = (s: number): string => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const NOW = new Date(Date.UTC(2026, 0, 1, 1));
const NOW_TEXT = '2026-01-01T01:00:00Z';

interface PodShape {
  containers?: string[];
  init?: string[];
  sidecars?: string[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  status?: V1PodStatus;
  readinessGates?: string[];
}

function pod(shape: PodShape = {}): V1Pod {
  const c = (name: string, extra: Partial<V1Container> = {}): V1Container => ({ name, image: `${name}:1`, ...extra });
  const initContainers = [...(shape.sidecars ?? []).map((n) => c(n, { restartPolicy: 'Always' })), ...(shape.init ?? []).map((n) => c(n))];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'uid-1' },
    spec: {
      containers: (shape.containers ?? ['web']).map((n) => c(n)),
      ...(initContainers.length ? { initContainers } : {}),
      restartPolicy: shape.restartPolicy ?? 'Always',
      ...(shape.readinessGates ? { readinessGates: shape.readinessGates.map((conditionType) => ({ conditionType })) } : {}),
    },
    status: shape.status ?? { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** an instance: name, state, attempt, exit code; times in seconds after T0 */
function instance(name: string, state: 'running' | 'exited' | 'created', opts: { attempt?: number; exitCode?: number; started?: number; finished?: number; reason?: string; id?: string } = {}): ContainerStatus {
  const attempt = opts.attempt ?? 0;
  const states: Record<string, ContainerState> = { running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED', created: 'CONTAINER_CREATED' };
  const started = state === 'created' ? 0 : T0 + (opts.started ?? 10 + attempt * 100) * SEC;
  return {
    id: opts.id ?? `${name}-${attempt}`,
    metadata: { name, attempt },
    state: states[state]!,
    createdAt: T0 + (5 + attempt * 100) * SEC,
    startedAt: started,
    finishedAt: state === 'exited' ? T0 + (opts.finished ?? 20 + attempt * 100) * SEC : 0,
    exitCode: opts.exitCode ?? 0,
    image: { image: `${name}:1` },
    imageRef: `sha256:${name}`,
    reason: state === 'exited' ? (opts.reason ?? '') : '',
    message: '',
    labels: {},
    annotations: {},
    mounts: [],
    logPath: '',
  };
}

function input(p: V1Pod, containers: ContainerStatus[], extra: Partial<PodStatusInput> = {}): PodStatusInput {
  return {
    pod: p,
    sandbox: { ready: true, ip: '10.0.0.5', additionalIps: [] },
    containers,
    waiting: {},
    isReady: () => true,
    isStarted: () => true,
    terminationMessages: {},
    runtimeName: 'sim',
    hostIP: '192.168.1.10',
    startTime: '2026-01-01T00:00:00Z',
    terminating: false,
    now: NOW,
    ...extra,
  };
}

const cond = (s: V1PodStatus, type: string) => s.conditions?.find((c) => c.type === type);
const regular = (s: V1PodStatus, name = 'web') => s.containerStatuses!.find((c) => c.name === name)!;
const init = (s: V1PodStatus, name: string) => s.initContainerStatuses!.find((c) => c.name === name)!;

t.test('a running container: full status', async (t) => {
  const s = computePodStatus(input(pod(), [instance('web', 'running')]));
  t.same(s, {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_TEXT },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_TEXT },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_TEXT },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_TEXT },
      // added by the kubelet for a pod no scheduler saw (created with spec.nodeName)
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_TEXT },
    ],
    hostIP: '192.168.1.10',
    hostIPs: [{ ip: '192.168.1.10' }],
    podIP: '10.0.0.5',
    podIPs: [{ ip: '10.0.0.5' }],
    startTime: '2026-01-01T00:00:00Z',
    containerStatuses: [
      {
        name: 'web',
        state: { running: { startedAt: at(10) } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'web:1',
        imageID: 'sha256:web',
        started: true,
        containerID: 'sim://web-0',
      },
    ],
    qosClass: 'BestEffort',
  });
  t.strictSame(computePodStatus(input(pod(), [instance('web', 'running')])), s, 'same input, deep-equal output');
});

t.test('container states', async (t) => {
  const rows: Array<{ name: string; shape?: PodShape; containers: ContainerStatus[]; extra?: Partial<PodStatusInput>; check: (s: V1PodStatus) => void }> = [
    {
      name: 'no instance: ContainerCreating, no containerID, imageID empty',
      containers: [],
      check: (s) => {
        t.same(regular(s).state, { waiting: { reason: 'ContainerCreating' } });
        t.equal(regular(s).containerID, undefined);
        t.equal(regular(s).imageID, '');
        t.equal(regular(s).started, false);
        t.equal(regular(s).ready, false);
      },
    },
    {
      name: 'waiting reason from the worker',
      containers: [],
      extra: { waiting: { web: { reason: 'ErrImagePull', message: 'pull failed' } } },
      check: (s) => t.same(regular(s).state, { waiting: { reason: 'ErrImagePull', message: 'pull failed' } }),
    },
    {
      name: 'created, not started: waiting',
      containers: [instance('web', 'created')],
      check: (s) => {
        t.same(regular(s).state, { waiting: { reason: 'ContainerCreating' } });
        t.equal(regular(s).containerID, 'sim://web-0');
      },
    },
    {
      name: 'exited: terminated with reason defaulted, termination message',
      shape: { restartPolicy: 'Never' },
      containers: [instance('web', 'exited', { exitCode: 2 })],
      extra: { terminationMessages: { 'web-0': 'boom' } },
      check: (s) =>
        t.same(regular(s).state, {
          terminated: { exitCode: 2, reason: 'Error', message: 'boom', startedAt: at(10), finishedAt: at(20), containerID: 'sim://web-0' },
        }),
    },
    {
      name: 'exited 0 without reason: Completed',
      shape: { restartPolicy: 'Never' },
      containers: [instance('web', 'exited')],
      check: (s) => t.equal(regular(s).state?.terminated?.reason, 'Completed'),
    },
    {
      name: 'restarted: restartCount from attempt, lastState = previous exit',
      containers: [instance('web', 'exited', { attempt: 0, exitCode: 1 }), instance('web', 'running', { attempt: 1 })],
      check: (s) => {
        t.equal(regular(s).restartCount, 1);
        t.ok(regular(s).state?.running);
        t.same(regular(s).lastState, {
          terminated: { exitCode: 1, reason: 'Error', startedAt: at(10), finishedAt: at(20), containerID: 'sim://web-0' },
        });
        t.equal(regular(s).containerID, 'sim://web-1');
      },
    },
    {
      name: 'restartCount from the attempt even when old instances are gone',
      containers: [instance('web', 'running', { attempt: 4 })],
      check: (s) => t.equal(regular(s).restartCount, 4),
    },
    {
      name: 'backing off: waiting CrashLoopBackOff with the exit in lastState',
      containers: [instance('web', 'exited', { attempt: 2, exitCode: 1 })],
      extra: { waiting: { web: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' } } },
      check: (s) => {
        t.same(regular(s).state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' } });
        t.equal(regular(s).lastState?.terminated?.exitCode, 1);
        t.equal(regular(s).restartCount, 2);
        t.equal(s.phase, 'Running');
      },
    },
    {
      name: 'terminating: an exited container shows terminated, not the waiting reason',
      containers: [instance('web', 'exited', { exitCode: 137 })],
      extra: { terminating: true, waiting: { web: { reason: 'CrashLoopBackOff' } } },
      check: (s) => {
        t.equal(regular(s).state?.terminated?.exitCode, 137);
        t.equal(s.phase, 'Failed', 'a terminated pod does not restart: terminal phase');
      },
    },
    {
      name: 'restartPolicy Never: exit stays terminated even with a waiting reason',
      shape: { restartPolicy: 'Never' },
      containers: [instance('web', 'exited', { exitCode: 1 })],
      extra: { waiting: { web: { reason: 'CrashLoopBackOff' } } },
      check: (s) => t.ok(regular(s).state?.terminated),
    },
    {
      name: 'readiness and startup from the prober',
      shape: { containers: ['a', 'b', 'c'] },
      containers: [instance('a', 'running'), instance('b', 'running'), instance('c', 'running')],
      extra: { isReady: (id) => id !== 'b-0', isStarted: (id) => id !== 'c-0' },
      check: (s) => {
        t.same(
          s.containerStatuses!.map((c) => [c.name, c.started, c.ready]),
          [
            ['a', true, true],
            ['b', true, false],
            ['c', false, false],
          ],
        );
        t.same(cond(s, 'ContainersReady'), {
          type: 'ContainersReady',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: NOW_TEXT,
          reason: 'ContainersNotReady',
          message: 'containers with unready status: [b c]',
        });
        t.equal(cond(s, 'Ready')?.message, 'containers with unready status: [b c]');
      },
    },
    {
      name: 'statuses follow spec order, not runtime order',
      shape: { containers: ['z', 'a'] },
      containers: [instance('a', 'running'), instance('z', 'running')],
      check: (s) => t.same(s.containerStatuses!.map((c) => c.name), ['z', 'a']),
    },
  ];
  for (const row of rows) {
    t.test(row.name, async () => row.check(computePodStatus(input(pod(row.shape), row.containers, row.extra))));
  }
});

t.test('init containers and sidecars', async (t) => {
  const rows: Array<{ name: string; shape: PodShape; containers: ContainerStatus[]; extra?: Partial<PodStatusInput>; check: (s: V1PodStatus) => void }> = [
    {
      name: 'first init running: Pending, PodInitializing everywhere else',
      shape: { init: ['i1', 'i2'] },
      containers: [instance('i1', 'running')],
      check: (s) => {
        t.equal(s.phase, 'Pending');
        t.ok(init(s, 'i1').state?.running);
        t.equal(init(s, 'i1').ready, false);
        t.same(init(s, 'i2').state, { waiting: { reason: 'PodInitializing' } });
        t.same(regular(s).state, { waiting: { reason: 'PodInitializing' } });
        t.same(cond(s, 'Initialized'), {
          type: 'Initialized',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: NOW_TEXT,
          reason: 'ContainersNotInitialized',
          message: 'containers with incomplete status: [i1 i2]',
        });
        t.equal(cond(s, 'Ready')?.reason, 'ContainersNotReady');
      },
    },
    {
      name: 'inits done: Initialized, init ready, regular ContainerCreating',
      shape: { init: ['i1'] },
      containers: [instance('i1', 'exited')],
      check: (s) => {
        t.equal(s.phase, 'Pending');
        t.equal(init(s, 'i1').ready, true);
        t.equal(init(s, 'i1').state?.terminated?.reason, 'Completed');
        t.equal(cond(s, 'Initialized')?.status, 'True');
        t.same(regular(s).state, { waiting: { reason: 'ContainerCreating' } });
      },
    },
    {
      name: 'init failed, restartPolicy Never: Failed',
      shape: { init: ['i1'], restartPolicy: 'Never' },
      containers: [instance('i1', 'exited', { exitCode: 1 })],
      check: (s) => {
        t.equal(s.phase, 'Failed');
        t.equal(cond(s, 'Ready')?.reason, 'PodFailed');
      },
    },
    {
      name: 'init failed, restartPolicy Always: Pending, waiting Init back-off',
      shape: { init: ['i1'] },
      containers: [instance('i1', 'exited', { exitCode: 1 })],
      extra: { waiting: { i1: { reason: 'CrashLoopBackOff' } } },
      check: (s) => {
        t.equal(s.phase, 'Pending');
        t.same(init(s, 'i1').state, { waiting: { reason: 'CrashLoopBackOff' } });
        t.equal(init(s, 'i1').lastState?.terminated?.exitCode, 1);
      },
    },
    {
      name: 'sidecar running and started: Initialized, reported with its running state',
      shape: { sidecars: ['proxy'] },
      containers: [instance('proxy', 'running')],
      check: (s) => {
        t.ok(init(s, 'proxy').state?.running);
        t.equal(init(s, 'proxy').started, true);
        t.equal(init(s, 'proxy').ready, true);
        t.equal(cond(s, 'Initialized')?.status, 'True');
        t.equal(s.phase, 'Pending', 'the regular container has not been created yet');
        t.same(regular(s).state, { waiting: { reason: 'ContainerCreating' } });
      },
    },
    {
      name: 'sidecar not yet started (startup probe): Pending, not initialized',
      shape: { sidecars: ['proxy'] },
      containers: [instance('proxy', 'running')],
      extra: { isStarted: () => false },
      check: (s) => {
        t.equal(s.phase, 'Pending');
        t.equal(cond(s, 'Initialized')?.message, 'containers with incomplete status: [proxy]');
      },
    },
    {
      name: 'sidecar and regular running: Running; unready sidecar blocks ContainersReady',
      shape: { sidecars: ['proxy'] },
      containers: [instance('proxy', 'running'), instance('web', 'running')],
      extra: { isReady: (id) => id !== 'proxy-0' },
      check: (s) => {
        t.equal(s.phase, 'Running');
        t.equal(cond(s, 'ContainersReady')?.message, 'containers with unready status: [proxy]');
      },
    },
    {
      name: 'job with a sidecar: regular exited 0, sidecar stopped → Succeeded',
      shape: { sidecars: ['proxy'], restartPolicy: 'Never' },
      containers: [instance('proxy', 'exited', { exitCode: 143 }), instance('web', 'exited')],
      check: (s) => t.equal(s.phase, 'Succeeded', 'stopped sidecars do not count'),
    },
  ];
  for (const row of rows) {
    t.test(row.name, async () => row.check(computePodStatus(input(pod(row.shape), row.containers, row.extra))));
  }
});

t.test('phase', async (t) => {
  const rows: Array<{ name: string; shape?: PodShape; containers: ContainerStatus[]; extra?: Partial<PodStatusInput>; phase: string }> = [
    { name: 'nothing yet', containers: [], phase: 'Pending' },
    { name: 'one running, one not created', shape: { containers: ['a', 'b'] }, containers: [instance('a', 'running')], phase: 'Pending' },
    { name: 'all running', shape: { containers: ['a', 'b'] }, containers: [instance('a', 'running'), instance('b', 'running')], phase: 'Running' },
    { name: 'one running one exited', shape: { containers: ['a', 'b'], restartPolicy: 'Never' }, containers: [instance('a', 'running'), instance('b', 'exited', { exitCode: 1 })], phase: 'Running' },
    { name: 'Never, all 0', shape: { restartPolicy: 'Never' }, containers: [instance('web', 'exited')], phase: 'Succeeded' },
    { name: 'OnFailure, all 0', shape: { restartPolicy: 'OnFailure' }, containers: [instance('web', 'exited')], phase: 'Succeeded' },
    { name: 'Never, one failed', shape: { containers: ['a', 'b'], restartPolicy: 'Never' }, containers: [instance('a', 'exited'), instance('b', 'exited', { exitCode: 3 })], phase: 'Failed' },
    { name: 'OnFailure, failed: restarting', shape: { restartPolicy: 'OnFailure' }, containers: [instance('web', 'exited', { exitCode: 3 })], phase: 'Running' },
    { name: 'Always, exited 0: restarting', containers: [instance('web', 'exited')], phase: 'Running' },
    { name: 'Always, exited 1: restarting', containers: [instance('web', 'exited', { exitCode: 1 })], phase: 'Running' },
    { name: 'a recreated container not started yet counts as restarting', containers: [instance('web', 'exited', { exitCode: 1 }), instance('web', 'created', { attempt: 1 })], phase: 'Running' },
    {
      name: 'terminal phase sticks',
      shape: { status: { phase: 'Succeeded' } },
      containers: [instance('web', 'running')],
      phase: 'Succeeded',
    },
    {
      name: 'terminating, all exited 0: Succeeded despite Always',
      containers: [instance('web', 'exited')],
      extra: { terminating: true },
      phase: 'Succeeded',
    },
    { name: 'terminating, still running: Running', containers: [instance('web', 'running')], extra: { terminating: true }, phase: 'Running' },
  ];
  for (const row of rows) {
    t.equal(computePodStatus(input(pod(row.shape), row.containers, row.extra)).phase, row.phase, row.name);
  }
});

t.test('conditions', async (t) => {
  t.test('PodReadyToStartContainers', async (t) => {
    const rows: Array<[string, PodStatusInput['sandbox'], boolean | undefined, string]> = [
      ['no sandbox', undefined, undefined, 'False'],
      ['sandbox not ready', { ready: false, ip: '10.0.0.5', additionalIps: [] }, undefined, 'False'],
      ['sandbox without network', { ready: true, additionalIps: [] }, undefined, 'False'],
      ['host network needs no pod IP', { ready: true, additionalIps: [] }, true, 'True'],
      ['ready with IP', { ready: true, ip: '10.0.0.5', additionalIps: [] }, undefined, 'True'],
    ];
    for (const [name, sandbox, hostNetwork, want] of rows) {
      const p = pod();
      if (hostNetwork) p.spec!.hostNetwork = true;
      t.equal(cond(computePodStatus(input(p, [], { sandbox })), 'PodReadyToStartContainers')?.status, want, name);
    }
  });

  t.test('order, PodScheduled kept, lastTransitionTime kept while the status holds', async (t) => {
    const earlier = '2026-01-01T00:00:30Z';
    const p = pod({
      status: {
        phase: 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: earlier as unknown as Date },
          { type: 'Ready', status: 'False', lastTransitionTime: earlier as unknown as Date },
          { type: 'Initialized', status: 'True', lastTransitionTime: earlier as unknown as Date },
        ],
      },
    });
    const s = computePodStatus(input(p, [instance('web', 'running')]));
    t.same(
      s.conditions!.map((c) => [c.type, c.status, c.lastTransitionTime]),
      [
        ['PodReadyToStartContainers', 'True', NOW_TEXT],
        ['Initialized', 'True', earlier],
        ['Ready', 'True', NOW_TEXT],
        ['ContainersReady', 'True', NOW_TEXT],
        ['PodScheduled', 'True', earlier],
      ],
    );
  });

  t.test('Succeeded pod: PodCompleted', async (t) => {
    const s = computePodStatus(input(pod({ restartPolicy: 'Never' }), [instance('web', 'exited')]));
    t.same([cond(s, 'Ready')?.reason, cond(s, 'ContainersReady')?.reason, cond(s, 'Initialized')?.reason], ['PodCompleted', 'PodCompleted', 'PodCompleted']);
    t.same([cond(s, 'Ready')?.status, cond(s, 'Initialized')?.status], ['False', 'True']);
  });

  t.test('readiness gates', async (t) => {
    const s1 = computePodStatus(input(pod({ readinessGates: ['example.com/lb'] }), [instance('web', 'running')]));
    t.same([cond(s1, 'Ready')?.status, cond(s1, 'Ready')?.reason], ['False', 'ReadinessGatesNotReady']);
    t.equal(cond(s1, 'Ready')?.message, 'corresponding condition of pod readiness gate "example.com/lb" does not exist.');
    t.equal(cond(s1, 'ContainersReady')?.status, 'True');
    const withGate = pod({ readinessGates: ['example.com/lb'], status: { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }] } });
    const s2 = computePodStatus(input(withGate, [instance('web', 'running')]));
    t.equal(cond(s2, 'Ready')?.status, 'True');
    t.equal(cond(s2, 'example.com/lb')?.status, 'True', 'the gate condition is kept');
  });
});

t.test('addresses and kept fields', async (t) => {
  const dual = computePodStatus(input(pod(), [], { sandbox: { ready: true, ip: '10.0.0.5', additionalIps: ['fd00::5'] } }));
  t.same([dual.podIP, dual.podIPs], ['10.0.0.5', [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }]]);

  const none = computePodStatus(input(pod(), [], { sandbox: undefined }));
  t.notOk('podIP' in none, 'no IP: field omitted');
  t.notOk('podIPs' in none);

  const gone = computePodStatus(input(pod({ status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }] } }), [], { sandbox: undefined }));
  t.equal(gone.podIP, '10.0.0.9', 'the last known IP is kept once the sandbox is gone');

  const host = pod();
  host.spec!.hostNetwork = true;
  t.equal(computePodStatus(input(host, [], { sandbox: { ready: true, additionalIps: [] } })).podIP, '192.168.1.10');

  const evicted = pod({ status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } });
  const s = computePodStatus(input(evicted, [instance('web', 'exited', { exitCode: 137 })]));
  t.same([s.phase, s.reason, s.message], ['Failed', 'Evicted', 'low on memory'], 'reason/message kept with the phase');

  const moved = computePodStatus(input(pod({ status: { phase: 'Pending', reason: 'Old' } }), [instance('web', 'running')]));
  t.equal(moved.reason, undefined, 'a new phase drops the old reason');
  t.equal(moved.qosClass, undefined, 'qosClass only when the API server set it');
});
