import t from 'tap';
import type { KubeObject, SubresourceRegistry } from '../../catalogue/resource-def.js';
import { ApiError } from '../../errors/api-error.js';
import { POD_UPDATABLE_FIELDS, createBinding, createEviction, imageTag, podStrategy, pods, qosClass, restartsCell, summarizePod } from './pods.js';
import { NOW, cells, create, minutesAgo, stored, testContext, testServices, update } from './strategy-harness.js';

const pod = (spec: Record<string, unknown> = {}, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
  ...extra,
});

t.test('defaults as kube-apiserver applies them', async (t) => {
  const { obj, errors } = create(pods, pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] }));
  t.same(errors, []);
  // priority and preemptionPolicy come later, from the Priority admission lifecycle
  t.notOk('priority' in (obj.spec as object) || 'preemptionPolicy' in (obj.spec as object));
  t.match(obj.spec, {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    securityContext: {},
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    containers: [
      {
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } },
      },
    ],
  });
  t.same(obj.status, { phase: 'Pending', qosClass: 'Guaranteed' });
});

t.test('defaults keep what the user set and tolerations already present', async (t) => {
  const { obj } = create(
    pods,
    pod({
      restartPolicy: 'Never',
      serviceAccountName: 'builder',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }],
    }),
  );
  const spec = obj.spec as Record<string, any>;
  t.equal(spec.restartPolicy, 'Never');
  t.equal(spec.serviceAccount, 'builder');
  t.same(spec.tolerations, [{ operator: 'Exists' }], 'a match-all toleration already tolerates both taints');
  t.same(spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
  ]);
  t.equal(spec.containers[0].imagePullPolicy, 'IfNotPresent');
  t.same(spec.containers[0].resources, {});
});

t.test('imageTag and pull policy', async (t) => {
  t.equal(imageTag('nginx'), 'latest');
  t.equal(imageTag('nginx:latest'), 'latest');
  t.equal(imageTag('localhost:5000/app'), 'latest');
  t.equal(imageTag('localhost:5000/app:v1'), 'v1');
  t.equal(imageTag('nginx@sha256:abc'), '');
});

t.test('qosClass', async (t) => {
  const c = (resources: unknown) => ({ containers: [{ name: 'a', image: 'x', resources }] }) as never;
  t.equal(qosClass(c({})), 'BestEffort');
  t.equal(qosClass(c({ requests: { cpu: '100m' } })), 'Burstable');
  t.equal(qosClass(c({ limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed', 'requests default to limits');
  t.equal(qosClass(c({ requests: { cpu: '1000m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  t.equal(qosClass(c({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })), 'Burstable');
});

t.test('prepareForCreate resets status; scheduling gates add the gated condition', async (t) => {
  const { obj } = create(pods, pod({ schedulingGates: [{ name: 'wait' }] }, { status: { phase: 'Running', podIP: '1.2.3.4' } }));
  t.same(obj.status, {
    phase: 'Pending',
    qosClass: 'BestEffort',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }],
  });
});

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const invalid: Array<[string, Record<string, unknown>, string[]]> = [
  ['no containers', { containers: [] }, ['spec.containers: Required value']],
  ['container name missing', { containers: [{ image: 'nginx' }] }, ['spec.containers[0].name: Required value']],
  ['container name invalid', { containers: [{ name: 'Web_1', image: 'nginx' }] }, [`spec.containers[0].name: Invalid value: "Web_1": ${LABEL_MSG}`]],
  [
    'container names unique',
    { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] },
    ['spec.containers[1].name: Duplicate value: "a"'],
  ],
  ['image required', { containers: [{ name: 'a' }] }, ['spec.containers[0].image: Required value']],
  [
    'port out of range',
    { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] },
    ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ],
  ['port required', { containers: [{ name: 'a', image: 'x', ports: [{ name: 'http' }] }] }, ['spec.containers[0].ports[0].containerPort: Required value']],
  [
    'protocol',
    { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] },
    ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  ],
  [
    'restartPolicy',
    { restartPolicy: 'Sometimes' },
    ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  ],
  [
    'dnsPolicy',
    { dnsPolicy: 'Cluster' },
    ['spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'],
  ],
  [
    'requests above limits',
    { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1000m' } } }] },
    ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  ],
  [
    'bad quantity',
    { containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '1GB' } } }] },
    [
      `spec.containers[0].resources.requests[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ],
  ],
  [
    'mount of an unknown volume',
    { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
    ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  ],
  ['activeDeadlineSeconds', { activeDeadlineSeconds: 0 }, ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
];

for (const [name, spec, want] of invalid) {
  t.test(`invalid: ${name}`, async (t) => t.same(create(pods, pod(spec)).errors, want));
}

t.test('update: image, activeDeadlineSeconds and added tolerations may change', async (t) => {
  const old = stored(pods, pod({ activeDeadlineSeconds: 100 }));
  const next = structuredClone(old) as any;
  next.spec.containers[0].image = 'nginx:1.28';
  next.spec.activeDeadlineSeconds = 50;
  next.spec.tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule' });
  next.metadata.labels = { a: 'b' };
  t.same(update(pods, next, old).errors, []);
});

t.test('update: other spec changes are forbidden with kube message', async (t) => {
  const old = stored(pods, pod());
  const next = structuredClone(old) as any;
  next.spec.containers[0].ports = [{ containerPort: 8080 }];
  const { errors } = update(pods, next, old);
  t.equal(errors.length, 1);
  t.ok(errors[0]!.startsWith(`spec: Forbidden: pod updates may not change fields other than ${POD_UPDATABLE_FIELDS}\n`), String(errors[0]));
  t.match(errors[0], /spec\.containers\[0\]\.ports/);
});

t.test('update: activeDeadlineSeconds may only shrink', async (t) => {
  const old = stored(pods, pod({ activeDeadlineSeconds: 100 }));
  const next = structuredClone(old) as any;
  next.spec.activeDeadlineSeconds = 200;
  t.same(update(pods, next, old).errors, ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
  delete next.spec.activeDeadlineSeconds;
  t.same(update(pods, next, old).errors, ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
});

t.test('update: tolerations may not be removed; containers may not be added', async (t) => {
  const old = stored(pods, pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }));
  const next = structuredClone(old) as any;
  next.spec.tolerations = next.spec.tolerations.slice(1);
  t.same(update(pods, next, old).errors, ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  const more = structuredClone(old) as any;
  more.spec.containers.push({ name: 'b', image: 'x' });
  t.same(update(pods, more, old).errors, ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

t.test('prepareForUpdate: main resource keeps status, /status keeps spec', async (t) => {
  const old = stored(pods, pod());
  const next = structuredClone(old) as any;
  next.status = { phase: 'Running' };
  t.equal((update(pods, next, old).obj.status as any).phase, 'Pending');
  const viaStatus = structuredClone(old) as any;
  viaStatus.status = { phase: 'Running', qosClass: 'BestEffort' };
  viaStatus.spec.containers[0].image = 'changed';
  const r = update(pods, viaStatus, old, 'status');
  t.equal((r.obj.status as any).phase, 'Running');
  t.equal((r.obj.spec as any).containers[0].image, 'nginx:1.27');
  t.same(r.errors, []);
});

// ---- printing ------------------------------------------------------------------------

const running = (extra: Record<string, unknown> = {}) => ({ state: { running: { startedAt: minutesAgo(10) } }, ready: true, restartCount: 0, name: 'web', image: 'x', imageID: '', ...extra });
const withStatus = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject =>
  pod(spec, { metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(90), ...metadata }, status });

const statusCases: Array<[string, KubeObject, string, string]> = [
  ['pending, nothing reported', withStatus({ phase: 'Pending' }), 'Pending', '0/1'],
  [
    'container creating',
    withStatus({ phase: 'Pending', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
    'ContainerCreating',
    '0/1',
  ],
  ['running and ready', withStatus({ phase: 'Running', containerStatuses: [running()] }), 'Running', '1/1'],
  [
    'crash loop',
    withStatus({ phase: 'Running', containerStatuses: [{ name: 'web', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
    'CrashLoopBackOff',
    '0/1',
  ],
  [
    'completed',
    withStatus({ phase: 'Succeeded', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
    'Completed',
    '0/1',
  ],
  [
    'exit code without reason',
    withStatus({ phase: 'Failed', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }),
    'ExitCode:2',
    '0/1',
  ],
  [
    'one completed, one still running, pod ready',
    withStatus(
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [running({ name: 'a' }), { name: 'b', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      },
      { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] },
    ),
    'Running',
    '1/2',
  ],
  [
    'init container running',
    withStatus(
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { running: {} } }] },
      { initContainers: [{ name: 'init', image: 'x' }, { name: 'init2', image: 'x' }] },
    ),
    'Init:0/2',
    '0/1',
  ],
  [
    'init container crash looping',
    withStatus(
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
      { initContainers: [{ name: 'init', image: 'x' }] },
    ),
    'Init:CrashLoopBackOff',
    '0/1',
  ],
  [
    'init container failed',
    withStatus(
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
      { initContainers: [{ name: 'init', image: 'x' }] },
    ),
    'Init:Error',
    '0/1',
  ],
  [
    'sidecar started counts as ready',
    withStatus(
      {
        phase: 'Running',
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, state: { running: {} } }],
        containerStatuses: [running()],
      },
      { initContainers: [{ name: 'proxy', image: 'x', restartPolicy: 'Always' }] },
    ),
    'Running',
    '2/2',
  ],
  ['terminating', withStatus({ phase: 'Running', containerStatuses: [running()] }, {}, { deletionTimestamp: minutesAgo(1) }), 'Terminating', '1/1'],
  ['node lost while deleting', withStatus({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: minutesAgo(1) }), 'Unknown', '0/1'],
  ['evicted', withStatus({ phase: 'Failed', reason: 'Evicted' }), 'Evicted', '0/1'],
  [
    'scheduling gated',
    withStatus({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
    'SchedulingGated',
    '0/1',
  ],
];

for (const [name, obj, status, ready] of statusCases) {
  t.test(`printPod status: ${name}`, async (t) => {
    const s = summarizePod(obj);
    t.equal(s.status, status);
    t.equal(s.ready, ready);
  });
}

t.test('restarts cell', async (t) => {
  t.equal(restartsCell(withStatus({ phase: 'Running', containerStatuses: [running()] }), NOW), '0');
  const restarted = withStatus({
    phase: 'Running',
    containerStatuses: [running({ restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(5) } } })],
  });
  t.equal(restartsCell(restarted, NOW), '3 (5m ago)');
  t.equal(restartsCell(withStatus({ phase: 'Running', containerStatuses: [running({ restartCount: 2 })] }), NOW), '2', 'no time known');
});

t.test('row cells, wide', async (t) => {
  const obj = withStatus(
    { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [running()], conditions: [{ type: 'www.example.com/gate', status: 'True' }] },
    { nodeName: 'node-1', readinessGates: [{ conditionType: 'www.example.com/gate' }] },
  );
  t.same(cells(pods, obj), ['web', '1/1', 'Running', '0', '90m', '10.244.0.5', 'node-1', '<none>', '1/1']);
  t.same(cells(pods, withStatus({ phase: 'Pending' }), NOW, false), ['web', '0/1', 'Pending', '0', '90m']);
  t.same(cells(pods, withStatus({ phase: 'Pending' })).slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

t.test('selectable fields are kube field set strings', async (t) => {
  const obj = stored(pods, pod());
  const f = pods.selectableFields!;
  t.equal(f['spec.nodeName']!(obj), '');
  t.equal(f['spec.hostNetwork']!(obj), 'false');
  t.equal(f['spec.restartPolicy']!(obj), 'Always');
  t.equal(f['status.phase']!(obj), 'Pending');
});

t.test('graceful deletion period', async (t) => {
  t.equal(pods.gracefulDeletion!(stored(pods, pod())), 0, 'never scheduled');
  t.equal(pods.gracefulDeletion!(stored(pods, pod({ nodeName: 'n', terminationGracePeriodSeconds: 10 }))), 10);
});

t.test('wrong types are reported, not thrown', async (t) => {
  const { errors } = create(pods, pod({ containers: { name: 'x' }, tolerations: 'all', volumes: 5 }));
  t.ok(errors.includes('spec.containers: Required value'), errors.join('\n'));
});

// ---- binding and eviction --------------------------------------------------------------


function fakeRegistry(current: KubeObject) {
  const calls: { deleted?: unknown; mutated?: KubeObject; subresource?: string } = {};
  const registry: SubresourceRegistry = {
    get: async () => structuredClone(current),
    mutate: async (_def, _ns, _name, _ctx, fn, subresource) => {
      calls.mutated = fn(structuredClone(current));
      if (subresource !== undefined) calls.subresource = subresource;
      return calls.mutated;
    },
    delete: async (_def, _ns, _name, _ctx, opts) => {
      calls.deleted = opts;
      return { object: current, deleted: true };
    },
    list: async () => [],
    lookup: () => undefined,
  };
  return { registry, calls };
}

const bindingCall = (current: KubeObject, body: Record<string, unknown>) => {
  const fake = fakeRegistry(current);
  const call = { def: pods, namespace: 'default', name: 'web', ctx: testContext(), registry: fake.registry, services: testServices, body: { metadata: { name: 'web' }, ...body } as KubeObject };
  return { call, calls: fake.calls };
};

t.test('binding sets nodeName and annotations, answers 201 Success', async (t) => {
  const current = stored(pods, pod());
  const { call, calls } = bindingCall(current, { target: { kind: 'Node', name: 'node-1' }, metadata: { name: 'web', annotations: { a: 'b' } } });
  const r = await createBinding(call);
  t.same(r, { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
  t.equal((calls.mutated!.spec as any).nodeName, 'node-1');
  t.same(calls.mutated!.metadata.annotations, { a: 'b' });
  t.equal(calls.subresource, 'binding');
});

t.test('binding conflicts and invalid bodies', async (t) => {
  const bound = stored(pods, pod({ nodeName: 'node-0' }));
  await t.rejects(createBinding(bindingCall(bound, { target: { name: 'node-1' } }).call), {
    code: 409,
    message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-0"',
  });
  const gated = stored(pods, pod({ schedulingGates: [{ name: 'g' }] }));
  await t.rejects(createBinding(bindingCall(gated, { target: { name: 'node-1' } }).call), { message: /has non-empty \.spec\.schedulingGates/ });
  const deleting = { ...stored(pods, pod()), metadata: { name: 'web', namespace: 'default', deletionTimestamp: minutesAgo(0) } };
  await t.rejects(createBinding(bindingCall(deleting, { target: { name: 'node-1' } }).call), { message: /is being deleted, cannot be assigned to a host/ });
  const err = await createBinding(bindingCall(stored(pods, pod()), { target: { kind: 'Pod' } }).call).catch((e: unknown) => e);
  t.ok(err instanceof ApiError);
  t.equal((err as ApiError).code, 422);
  t.match((err as ApiError).message, 'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value');
  await t.rejects(createBinding(bindingCall(stored(pods, pod()), { metadata: { name: 'other' }, target: { name: 'n' } }).call), {
    code: 400,
    message: 'name in URL does not match name in Binding object',
  });
});

t.test('binding marks the pod scheduled after the registry restores status', async (t) => {
  const old = stored(pods, pod());
  const next = structuredClone(old) as any;
  next.spec.nodeName = 'node-1';
  podStrategy.prepareForUpdate!(next, old, testContext(), 'binding');
  t.same(next.status.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z' }]);
});

t.test('eviction deletes with the given options', async (t) => {
  const { call, calls } = bindingCall(stored(pods, pod()), { deleteOptions: { gracePeriodSeconds: 5, preconditions: { uid: 'u' } } });
  t.same(await createEviction(call), { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
  t.same(calls.deleted, { gracePeriodSeconds: 5, preconditions: { uid: 'u' } });
});
