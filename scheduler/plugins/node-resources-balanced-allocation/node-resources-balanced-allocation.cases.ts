/**
 * NodeResourcesBalancedAllocation, table-driven like kube's balanced_allocation_test.go
 * with our own numbers: score = int((1 - std) * 100) over the requested fractions, real
 * requests only (no 100m / 200Mi stand-ins). Each expected score is worked out in a comment.
 *
 * Nodes: node-1 4000m / 10000Mi holding a pod of 1000m / 2000Mi; node-2 6000m / 10000Mi, empty.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/types.js';
import { makeNode, makeNodeInfo, makePod, podRequesting } from '../node-resources-fit/test-fixtures.js';
import { balancedResourceScore } from './balanced-score.js';
import { factory, NAME, NodeResourcesBalancedAllocation, validateArgs } from './index.js';

const handle = {} as Handle;

const node1 = makeNode('node-1', { cpu: '4000m', memory: '10000Mi', pods: '110' });
const node2 = makeNode('node-2', { cpu: '6000m', memory: '10000Mi', pods: '110' });
const onNode1 = [podRequesting({ cpu: '1000m', memory: '2000Mi' })];
const pod = podRequesting({ cpu: '2000m', memory: '3000Mi' });
const threeResources = { resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'ephemeral-storage' }] };
const withGpu = { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 1 }] };

interface Case {
  name: string;
  args?: unknown;
  pod: V1Pod;
  node: V1Node;
  existing?: V1Pod[];
  score: number;
}

const cases: Case[] = [
  // cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87.5 → 87
  { name: 'with a pod already there', pod, node: node1, existing: onNode1, score: 87 },
  // cpu 0.333…, memory 0.3 → std 0.01666… → 98.33 → 98
  { name: 'empty bigger node', pod, node: node2, score: 98 },
  // equal fractions: cpu 2000/4000 = memory 5000/10000 → 100
  { name: 'perfectly balanced', pod: podRequesting({ cpu: '2000m', memory: '5000Mi' }), node: node1, score: 100 },
  // a best-effort pod on the node requests nothing: cpu 0.5, memory 0.3 → std 0.1 → 90
  { name: 'existing pods without requests count as nothing', pod, node: node1, existing: [makePod()], score: 90 },
  // cpu 6000/4000 capped at 1, memory 0.5 → std 0.25 → 75
  { name: 'a fraction past 1 is capped', pod: podRequesting({ cpu: '5000m', memory: '3000Mi' }), node: node1, existing: onNode1, score: 75 },
  // only cpu allocatable → one fraction → std 0 → 100
  { name: 'one resource is always balanced', pod, node: makeNode('cpu-only', { cpu: '4000m', pods: '10' }), score: 100 },
  // cpu 0.5, memory 0.3, ephemeral 0.5: mean 0.4333, std sqrt(0.026667/3) = 0.0943 → 90.57 → 90
  {
    name: 'three resources use the full standard deviation',
    args: threeResources,
    pod: podRequesting({ cpu: '2000m', memory: '3000Mi', 'ephemeral-storage': '500' }),
    node: makeNode('disk', { cpu: '4000m', memory: '10000Mi', 'ephemeral-storage': '1000', pods: '10' }),
    score: 90,
  },
  // cpu 0.5, memory 0.3, gpu (1+1)/4 = 0.5: the same fractions → 90
  {
    name: 'an extended resource the pod requests counts',
    args: withGpu,
    pod: podRequesting({ cpu: '2000m', memory: '3000Mi', 'example.com/gpu': '1' }),
    node: makeNode('gpu', { cpu: '4000m', memory: '10000Mi', 'example.com/gpu': '4', pods: '10' }),
    existing: [podRequesting({ 'example.com/gpu': '1' })],
    score: 90,
  },
  // no gpu asked → gpu left out: cpu 0.5, memory 0.3 → 90 (not penalised for the busy gpu)
  {
    name: 'an extended resource the pod does not request is left out',
    args: withGpu,
    pod,
    node: makeNode('gpu', { cpu: '4000m', memory: '10000Mi', 'example.com/gpu': '4', pods: '10' }),
    existing: [podRequesting({ 'example.com/gpu': '4' })],
    score: 90,
  },
];

t.test('Score', async (t) => {
  for (const c of cases) {
    const plugin = factory(c.args, handle) as NodeResourcesBalancedAllocation;
    const nodeInfo = makeNodeInfo(c.node, c.existing ?? []);
    const state = new CycleState();
    t.equal(plugin.preScore(state, c.pod, [nodeInfo]).code, 'Success', `${c.name}: PreScore`);
    t.equal(plugin.score(state, c.pod, nodeInfo).score, c.score, c.name);
    t.equal(plugin.score(new CycleState(), c.pod, nodeInfo).score, c.score, `${c.name} (no PreScore)`);
  }
});

t.test('a pod requesting none of the resources skips the plugin', async (t) => {
  const plugin = factory(undefined, handle) as NodeResourcesBalancedAllocation;
  t.equal(plugin.preScore(new CycleState(), makePod(), []).code, 'Skip');
  t.equal(plugin.preScore(new CycleState(), podRequesting({ 'example.com/gpu': '1' }), []).code, 'Skip', 'only an unscored resource');
});

t.test('the score function', async (t) => {
  t.equal(balancedResourceScore([], []), 100, 'nothing to compare');
  t.equal(balancedResourceScore([1, 2], [0, 0]), 100, 'nothing allocatable');
  t.equal(balancedResourceScore([4, 0], [4, 4]), 50, 'one full, one empty');
});

t.test('plugin shape', async (t) => {
  const plugin = factory(undefined, handle) as unknown as Record<string, unknown>;
  t.equal(NAME, 'NodeResourcesBalancedAllocation');
  t.equal(plugin.name, NAME);
  t.type(plugin.preScore, 'function');
  t.type(plugin.score, 'function');
  t.equal(plugin.filter, undefined, 'score only');
});

t.test('args', async (t) => {
  t.same(validateArgs(undefined).resources, [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ]);
  t.same(validateArgs({ kind: 'NodeResourcesBalancedAllocationArgs', resources: [{ name: 'cpu' }, { name: 'example.com/gpu', weight: 0 }] }).resources, [
    { name: 'cpu', weight: 1 },
    { name: 'example.com/gpu', weight: 1 },
  ]);
  const bad: Array<[string, unknown, RegExp]> = [
    ['weight other than 1', { resources: [{ name: 'cpu', weight: 2 }] }, /NodeResourcesBalancedAllocation args: resources\[0\]\.weight: Invalid value: 2: must be 1/],
    ['duplicate resource', { resources: [{ name: 'cpu' }, { name: 'cpu' }] }, /resources\[1\]\.name: Duplicate value: "cpu"/],
    ['not an object', 42, /expected an object/],
    ['unknown field', { resource: [] }, /resource: unknown field/],
  ];
  for (const [name, raw, want] of bad) {
    t.throws(() => validateArgs(raw), want, name);
    t.throws(() => factory(raw, handle), want, `${name} (factory)`);
  }
});
