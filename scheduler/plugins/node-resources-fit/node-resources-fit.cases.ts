/**
 * NodeResourcesFit's PreFilter + Filter, table-driven like kube's fit_test.go: a small
 * node (10m cpu, 20 bytes memory, 32 pods, 5 example.com/aaa, 20 ephemeral-storage,
 * 5 hugepages-2Mi), pods already on it, the pod to place, and the exact reasons expected.
 * Also the queueing hints and the factory's handling of args.
 */
import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/types.js';
import { factory, NAME, NodeResourcesFit } from './index.js';
import { fits } from './fits.js';
import { queueAfterNodeChange, queueAfterPodDelete } from './queueing-hints.js';
import { makeNode, makeNodeInfo, makePod, podRequesting, type ResourceList } from './test-fixtures.js';

const handle = {} as Handle;

const ALLOCATABLE: ResourceList = {
  cpu: '10m',
  memory: '20',
  pods: '32',
  'example.com/aaa': '5',
  'ephemeral-storage': '20',
  'hugepages-2Mi': '5',
};

interface FilterCase {
  name: string;
  pod: V1Pod;
  existing?: V1Pod[];
  allocatable?: ResourceList;
  args?: unknown;
  code: string;
  reasons?: string[];
}

const cases: FilterCase[] = [
  { name: 'no requests always fits, even on a full node', pod: makePod(), existing: [podRequesting({ cpu: '10m', memory: '20' })], code: 'Success' },
  {
    name: 'too much of both: every shortfall is reported, cpu before memory',
    pod: podRequesting({ cpu: '1m', memory: '1' }),
    existing: [podRequesting({ cpu: '10m', memory: '20' })],
    code: 'Unschedulable',
    reasons: ['Insufficient cpu', 'Insufficient memory'],
  },
  {
    name: 'an init container larger than the containers sets the cpu request',
    pod: makePod({ containers: [{ cpu: '1m', memory: '1' }], initContainers: [{ cpu: '3m', memory: '1' }] }),
    existing: [podRequesting({ cpu: '8m', memory: '19' })],
    code: 'Unschedulable',
    reasons: ['Insufficient cpu'],
  },
  {
    name: 'the largest of several init containers counts, not their sum',
    pod: makePod({ containers: [{ cpu: '1m', memory: '1' }], initContainers: [{ cpu: '2m', memory: '1' }, { cpu: '2m', memory: '1' }] }),
    existing: [podRequesting({ cpu: '8m', memory: '19' })],
    code: 'Success',
  },
  {
    name: 'sidecars run beside the containers, so they add up',
    pod: makePod({ containers: [{ cpu: '8m' }], sidecars: [{ cpu: '3m' }] }),
    code: 'Unschedulable',
    reasons: ['Insufficient cpu'],
  },
  { name: 'a plain init container of the same size does not add', pod: makePod({ containers: [{ cpu: '8m' }], initContainers: [{ cpu: '3m' }] }), code: 'Success' },
  { name: 'both fit', pod: podRequesting({ cpu: '1m', memory: '1' }), existing: [podRequesting({ cpu: '5m', memory: '5' })], code: 'Success' },
  {
    name: 'only memory short',
    pod: podRequesting({ cpu: '1m', memory: '2' }),
    existing: [podRequesting({ cpu: '5m', memory: '19' })],
    code: 'Unschedulable',
    reasons: ['Insufficient memory'],
  },
  { name: 'exactly what is left fits (edge)', pod: podRequesting({ cpu: '5m', memory: '1' }), existing: [podRequesting({ cpu: '5m', memory: '19' })], code: 'Success' },
  {
    name: 'a zero request fits on an over-committed node',
    pod: podRequesting({ memory: '1' }),
    existing: [podRequesting({ cpu: '12m', memory: '5' })],
    code: 'Success',
  },
  { name: 'extended resource fits', pod: podRequesting({ 'example.com/aaa': '1' }), code: 'Success' },
  {
    name: 'extended resource: capacity enforced',
    pod: podRequesting({ 'example.com/aaa': '10' }),
    code: 'Unschedulable',
    reasons: ['Insufficient example.com/aaa'],
  },
  {
    name: 'extended resource: what existing pods hold is taken off',
    pod: podRequesting({ 'example.com/aaa': '4' }),
    existing: [podRequesting({ 'example.com/aaa': '2' })],
    code: 'Unschedulable',
    reasons: ['Insufficient example.com/aaa'],
  },
  { name: 'extended resource the node does not have', pod: podRequesting({ 'example.com/bbb': '1' }), code: 'Unschedulable', reasons: ['Insufficient example.com/bbb'] },
  {
    name: 'kubernetes.io/ resource the node does not have',
    pod: podRequesting({ 'kubernetes.io/something': '1' }),
    code: 'Unschedulable',
    reasons: ['Insufficient kubernetes.io/something'],
  },
  { name: 'hugepages enforced', pod: podRequesting({ 'hugepages-2Mi': '6' }), code: 'Unschedulable', reasons: ['Insufficient hugepages-2Mi'] },
  { name: 'ignoredResources skips an extended resource', pod: podRequesting({ 'example.com/bbb': '1' }), args: { ignoredResources: ['example.com/bbb'] }, code: 'Success' },
  { name: 'ignoredResourceGroups skips a whole group', pod: podRequesting({ 'example.com/bbb': '1' }), args: { ignoredResourceGroups: ['example.com'] }, code: 'Success' },
  {
    name: 'ignoredResources never skips hugepages',
    pod: podRequesting({ 'hugepages-2Mi': '6' }),
    args: { ignoredResources: ['hugepages-2Mi'] },
    code: 'Unschedulable',
    reasons: ['Insufficient hugepages-2Mi'],
  },
  {
    name: 'ignoredResources never skips kubernetes.io/ resources',
    pod: podRequesting({ 'kubernetes.io/something': '1' }),
    args: { ignoredResources: ['kubernetes.io/something'], ignoredResourceGroups: ['kubernetes.io'] },
    code: 'Unschedulable',
    reasons: ['Insufficient kubernetes.io/something'],
  },
  {
    name: 'requests + overhead fit',
    pod: makePod({ containers: [{ cpu: '1m', memory: '1' }], overhead: { cpu: '3m', memory: '13' } }),
    existing: [podRequesting({ cpu: '5m', memory: '5' })],
    code: 'Success',
  },
  {
    name: 'requests + overhead exceed',
    pod: makePod({ containers: [{ cpu: '1m', memory: '1' }], overhead: { cpu: '5m', memory: '15' } }),
    existing: [podRequesting({ cpu: '5m', memory: '5' })],
    code: 'Unschedulable',
    reasons: ['Insufficient cpu', 'Insufficient memory'],
  },
  { name: 'ephemeral-storage enforced', pod: podRequesting({ 'ephemeral-storage': '25' }), code: 'Unschedulable', reasons: ['Insufficient ephemeral-storage'] },
  {
    name: 'pod count: a best-effort pod is still one pod',
    pod: makePod(),
    existing: [makePod()],
    allocatable: { ...ALLOCATABLE, pods: '1' },
    code: 'Unschedulable',
    reasons: ['Too many pods'],
  },
  {
    name: 'everything short at once, in kube order',
    pod: podRequesting({ cpu: '11m', memory: '21', 'ephemeral-storage': '21', 'example.com/aaa': '6', 'hugepages-2Mi': '6' }),
    existing: [makePod()],
    allocatable: { ...ALLOCATABLE, pods: '1' },
    code: 'Unschedulable',
    reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage', 'Insufficient example.com/aaa', 'Insufficient hugepages-2Mi'],
  },
  {
    name: 'limits stand in for missing requests',
    pod: { ...makePod(), spec: { containers: [{ name: 'c', resources: { limits: { cpu: '11m' } } }] } },
    code: 'Unschedulable',
    reasons: ['Insufficient cpu'],
  },
];

t.test('Filter', async (t) => {
  for (const c of cases) {
    const plugin = factory(c.args, handle) as NodeResourcesFit;
    const node = makeNodeInfo(makeNode('node-1', c.allocatable ?? ALLOCATABLE), c.existing ?? []);
    const state = new CycleState();
    const pre = plugin.preFilter(state, c.pod, [node]);
    t.equal(pre.status.code, 'Success', `${c.name}: PreFilter`);
    const status = plugin.filter(state, c.pod, node);
    t.equal(status.code, c.code, `${c.name}: code`);
    t.same([...status.reasons], c.reasons ?? [], `${c.name}: reasons`);
    // the pure helper agrees with the plugin when nothing is ignored
    if (c.args === undefined) t.same(fits(c.pod, node).map((r) => r.reason), c.reasons ?? [], `${c.name}: fits()`);
  }
});

t.test('Filter without PreFilter is an Error, not a rejection', async (t) => {
  const plugin = factory(undefined, handle) as NodeResourcesFit;
  const status = plugin.filter(new CycleState(), makePod(), makeNodeInfo(makeNode('n', ALLOCATABLE)));
  t.equal(status.code, 'Error');
  t.match(status.reasons[0], /PreFilterNodeResourcesFit/);
});

t.test('the PreFilter state survives CycleState.clone (preemption simulates on clones)', async (t) => {
  const plugin = factory(undefined, handle) as NodeResourcesFit;
  const pod = podRequesting({ cpu: '11m' });
  const state = new CycleState();
  plugin.preFilter(state, pod, []);
  t.same([...plugin.filter(state.clone(), pod, makeNodeInfo(makeNode('n', ALLOCATABLE))).reasons], ['Insufficient cpu']);
});

t.test('fits() reports what was asked, used and available', async (t) => {
  const node = makeNodeInfo(makeNode('n', ALLOCATABLE), [podRequesting({ cpu: '7m' })]);
  t.same(fits(podRequesting({ cpu: '4m' }), node), [{ resourceName: 'cpu', reason: 'Insufficient cpu', requested: 4, used: 7, capacity: 10 }]);
});

t.test('the plugin implements the points and names kube does', async (t) => {
  const plugin = factory(undefined, handle) as unknown as Record<string, unknown>;
  t.equal(NAME, 'NodeResourcesFit');
  t.equal(plugin.name, NAME);
  for (const m of ['preFilter', 'filter', 'preScore', 'score', 'eventsToRegister']) t.type(plugin[m], 'function', m);
  const events = (plugin as unknown as NodeResourcesFit).eventsToRegister().map((e) => `${e.event.resource}/${e.event.action}`);
  t.same(events.sort(), ['AssignedPod/Delete', 'Node/Add', 'Node/Update']);
});

t.test('bad args fail the factory with the field named', async (t) => {
  t.throws(() => factory({ scoringStrategy: { type: 'Biggest' } }, handle), /NodeResourcesFit args: scoringStrategy\.type: Unsupported value: "Biggest"/);
  t.throws(() => factory('LeastAllocated', handle), /expected an object/);
});

t.test('queueing hints', async (t) => {
  const pod = podRequesting({ cpu: '2', memory: '1Gi' });
  const small = makeNode('n', { cpu: '1', memory: '4Gi', pods: '10' });
  const big = makeNode('n', { cpu: '4', memory: '4Gi', pods: '10' });
  const bigRelabelled = { ...big, metadata: { name: 'n', labels: { zone: 'a' } } };
  const bigMoreMemory = makeNode('n', { cpu: '4', memory: '8Gi', pods: '10' });
  const bigMorePods = makeNode('n', { cpu: '4', memory: '4Gi', pods: '20' });
  const rows: Array<[string, ReturnType<typeof queueAfterNodeChange>, ReturnType<typeof queueAfterNodeChange>]> = [
    ['node added, pod fits on it', queueAfterNodeChange(pod, undefined, big), 'Queue'],
    ['node added, too small', queueAfterNodeChange(pod, undefined, small), 'Skip'],
    ['node grew cpu to fit', queueAfterNodeChange(pod, small, big), 'Queue'],
    ['node only relabelled', queueAfterNodeChange(pod, big, bigRelabelled), 'Skip'],
    ['node grew memory the pod asks for', queueAfterNodeChange(pod, big, bigMoreMemory), 'Queue'],
    ['node allows more pods', queueAfterNodeChange(pod, big, bigMorePods), 'Queue'],
    ['node update still too small', queueAfterNodeChange(pod, small, { ...small, metadata: { name: 'n', labels: { a: 'b' } } }), 'Skip'],
    ['scheduled pod deleted', queueAfterPodDelete(pod, makePod({ nodeName: 'n' }), undefined), 'Queue'],
    ['unscheduled pod deleted', queueAfterPodDelete(pod, makePod(), undefined), 'Skip'],
  ];
  for (const [name, got, want] of rows) t.equal(got, want, name);
});
