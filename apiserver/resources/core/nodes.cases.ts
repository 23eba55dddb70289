import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { isCIDR, nodes } from './nodes.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const node = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', creationTimestamp: minutesAgo(60 * 24 * 3), ...(labels ? { labels } : {}) },
  spec,
  ...(status ? { status } : {}),
});

const readyStatus = (ready: string) => ({
  conditions: [{ type: 'Ready', status: ready }],
  addresses: [
    { type: 'InternalIP', address: '192.168.1.10' },
    { type: 'Hostname', address: 'node-1' },
  ],
  nodeInfo: { kubeletVersion: 'v1.33.0-k8ts', osImage: 'Ubuntu 24.04', kernelVersion: '6.8.0', containerRuntimeVersion: 'k8ts://0.1.0' },
  capacity: { cpu: '4', memory: '8Gi', pods: '110' },
});

t.test('shape', async (t) => {
  t.equal(nodes.namespaced, false);
  t.same(nodes.shortNames, ['no']);
  t.same(nodes.subresources.map((s) => s.name), ['status', 'proxy']);
});

t.test('defaults: allocatable from capacity, podCIDR mirrors podCIDRs', async (t) => {
  const { obj, errors } = create(nodes, node({ podCIDR: '10.244.1.0/24' }, readyStatus('True')), '');
  t.same(errors, []);
  t.same((obj.status as any).allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
  t.same((obj.spec as any).podCIDRs, ['10.244.1.0/24']);
});

const invalid: Array<[string, KubeObject, string[]]> = [
  ['bad CIDR', node({ podCIDRs: ['10.244.1.0/33'] }), ['spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
  [
    'two CIDRs of one family',
    node({ podCIDRs: ['10.244.1.0/24', '10.244.2.0/24'] }),
    ['spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more than one CIDR for each IP family'],
  ],
  [
    'taint effect',
    node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'Sometimes' }] }),
    ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
  ],
  ['taint effect required', node({ taints: [{ key: 'dedicated' }] }), ['spec.taints[0].effect: Required value']],
  [
    'duplicate taint',
    node({
      taints: [
        { key: 'a', effect: 'NoSchedule' },
        { key: 'a', value: 'x', effect: 'NoSchedule' },
      ],
    }),
    ['spec.taints[1]: Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}: taints must be unique by key and effect pair'],
  ],
];
for (const [name, obj, want] of invalid) t.test(`invalid: ${name}`, async (t) => t.same(create(nodes, obj, '').errors, want));

t.test('isCIDR', async (t) => {
  t.ok(isCIDR('10.0.0.0/8'));
  t.ok(isCIDR('fd00::/64'));
  t.notOk(isCIDR('10.0.0.0'));
  t.notOk(isCIDR('10.0.0.0/8/1'));
  t.notOk(isCIDR('fd00::/129'));
});

t.test('update: podCIDRs and providerID are set once; status kept on the main resource', async (t) => {
  const old = stored(nodes, node({ podCIDRs: ['10.244.1.0/24'], providerID: 'k8ts://node-1' }, readyStatus('True')));
  const next = structuredClone(old) as any;
  next.spec.podCIDRs = ['10.244.9.0/24'];
  next.spec.podCIDR = '10.244.9.0/24';
  next.spec.providerID = 'other';
  t.same(update(nodes, next, old).errors, [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  const cordon = structuredClone(old) as any;
  cordon.spec.unschedulable = true;
  cordon.status.conditions[0].status = 'False';
  const r = update(nodes, cordon, old);
  t.same(r.errors, []);
  t.equal((r.obj.status as any).conditions[0].status, 'True', 'status is not changed through the main resource');
  const viaStatus = update(nodes, cordon, old, 'status');
  t.equal((viaStatus.obj.status as any).conditions[0].status, 'False');
  t.notOk((viaStatus.obj.spec as any).unschedulable, 'spec is not changed through /status');
});

t.test('cells', async (t) => {
  t.same(cells(nodes, node({}, readyStatus('True'), { 'node-role.kubernetes.io/control-plane': '' })), [
    'node-1',
    'Ready',
    'control-plane',
    '3d',
    'v1.33.0-k8ts',
    '192.168.1.10',
    '<none>',
    'Ubuntu 24.04',
    '6.8.0',
    'k8ts://0.1.0',
  ]);
  t.same(cells(nodes, node({ unschedulable: true }, readyStatus('Unknown')), undefined, false), ['node-1', 'NotReady,SchedulingDisabled', '<none>', '3d', 'v1.33.0-k8ts']);
  t.same(cells(nodes, node({}), undefined, true), ['node-1', 'Unknown', '<none>', '3d', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  t.same(cells(nodes, node({}, undefined, { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': '' }), undefined, false)[2], 'infra,worker');
  t.equal(nodes.selectableFields!['spec.unschedulable']!(node({ unschedulable: true })), 'true');
  t.equal(nodes.selectableFields!['spec.unschedulable']!(node()), 'false');
});
