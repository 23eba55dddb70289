/**
 * NodeResourcesFit's Score under each strategy, mirroring kube's least_allocated_test.go,
 * most_allocated_test.go and requested_to_capacity_ratio_test.go with our own numbers.
 * Every expected score is worked out in the case's comment with kube's integer formulas.
 *
 * Nodes: node-1 4000m / 10000Mi holding a pod of 1000m / 2000Mi; node-2 6000m / 10000Mi, empty.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/types.js';
import { factory, type NodeResourcesFit } from './index.js';
import { brokenLinearFunction, leastRequestedScore, mostRequestedScore, mulDiv } from './scorers.js';
import { makeNode, makeNodeInfo, makePod, podRequesting } from './test-fixtures.js';

const handle = {} as Handle;

const node1 = makeNode('node-1', { cpu: '4000m', memory: '10000Mi', pods: '110' });
const node2 = makeNode('node-2', { cpu: '6000m', memory: '10000Mi', pods: '110' });
const onNode1 = [podRequesting({ cpu: '1000m', memory: '2000Mi' })];
const pod = podRequesting({ cpu: '2000m', memory: '3000Mi' });

interface ScoreCase {
  name: string;
  args?: unknown;
  pod: V1Pod;
  node: V1Node;
  existing?: V1Pod[];
  score: number;
}

const binPacking = (type: string) => ({ scoringStrategy: { type } });
const ratio = (shape: Array<[number, number]>, resources?: unknown) => ({
  scoringStrategy: { type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) } },
});

const cases: ScoreCase[] = [
  // LeastAllocated (the default)
  // a pod without requests counts as 100m / 200Mi: cpu 3900*100/4000 = 97, memory 9800*100/10000 = 98 → 195/2 = 97
  { name: 'least: nothing requested, node-1 empty', pod: makePod(), node: node1, score: 97 },
  // cpu 5900*100/6000 = 98, memory 98 → 98
  { name: 'least: nothing requested, node-2', pod: makePod(), node: node2, score: 98 },
  // cpu (4000-3000)*100/4000 = 25, memory (10000-5000)*100/10000 = 50 → 75/2 = 37
  { name: 'least: with a pod already there', pod, node: node1, existing: onNode1, score: 37 },
  // cpu 4000*100/6000 = 66, memory 7000*100/10000 = 70 → 136/2 = 68
  { name: 'least: empty bigger node', pod, node: node2, score: 68 },
  // (25*2 + 50*1) / 3 = 33
  { name: 'least: cpu weighs 2', args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }] } }, pod, node: node1, existing: onNode1, score: 33 },
  // (66*2 + 70) / 3 = 67
  { name: 'least: cpu weighs 2, node-2', args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 2 }, { name: 'memory' }] } }, pod, node: node2, score: 67 },
  // cpu 6000 > 4000 → 0, memory 50 → 25
  { name: 'least: more cpu than the node has scores 0 for cpu', pod: podRequesting({ cpu: '5000m', memory: '3000Mi' }), node: node1, existing: onNode1, score: 25 },
  // memory not allocatable → left out; cpu 2000*100/4000 = 50
  { name: 'least: a resource the node lacks is left out', pod, node: makeNode('cpu-only', { cpu: '4000m', pods: '10' }), score: 50 },
  // the gpu pod on the node counts 100m / 200Mi: cpu 1900*100/4000 = 47, memory 6800*100/10000 = 68, gpu (4-2)*100/4 = 50 → (47 + 68 + 50*3) / 5 = 53
  {
    name: 'least: an extended resource with a weight',
    args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 3 }] } },
    pod: podRequesting({ cpu: '2000m', memory: '3000Mi', 'example.com/gpu': '1' }),
    node: makeNode('gpu', { cpu: '4000m', memory: '10000Mi', 'example.com/gpu': '4', pods: '10' }),
    existing: [podRequesting({ 'example.com/gpu': '1' })],
    score: 53,
  },
  // the pod asks no gpu → gpu left out: (47 + 68) / 2 = 57
  {
    name: 'least: an extended resource the pod does not request is left out',
    args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 3 }] } },
    pod,
    node: makeNode('gpu', { cpu: '4000m', memory: '10000Mi', 'example.com/gpu': '4', pods: '10' }),
    existing: [podRequesting({ 'example.com/gpu': '1' })],
    score: 57,
  },

  // MostAllocated
  // cpu 3000*100/4000 = 75, memory 5000*100/10000 = 50 → 62
  { name: 'most: with a pod already there', args: binPacking('MostAllocated'), pod, node: node1, existing: onNode1, score: 62 },
  // cpu 2000*100/6000 = 33, memory 30 → 31
  { name: 'most: empty bigger node', args: binPacking('MostAllocated'), pod, node: node2, score: 31 },
  // cpu capped at capacity → 100, memory 50 → 75
  { name: 'most: requests past capacity count as full', args: binPacking('MostAllocated'), pod: podRequesting({ cpu: '5000m', memory: '3000Mi' }), node: node1, existing: onNode1, score: 75 },

  // RequestedToCapacityRatio: shape scores 0..10 scale to 0..100
  // spreading shape: cpu util 75 → 100 - 75 = 25, memory util 50 → 50 → round(75/2 = 37.5) = 38 (rounded, where LeastAllocated truncates to 37)
  { name: 'ratio: spreading shape', args: ratio([[0, 10], [100, 0]]), pod, node: node1, existing: onNode1, score: 38 },
  // packing shape: cpu 75, memory 50 → round(62.5) = 63
  { name: 'ratio: packing shape', args: ratio([[0, 0], [100, 10]]), pod, node: node1, existing: onNode1, score: 63 },
  // an explicit cpu request of 0 scores 0 for cpu and drops out of the weights: memory util 30 → 30
  { name: 'ratio: a zero-scoring resource does not count', args: ratio([[0, 0], [100, 10]]), pod: podRequesting({ cpu: '0', memory: '3000Mi' }), node: node2, score: 30 },
  // past capacity → utilization 100 → 100 for cpu; memory 50 → 75
  { name: 'ratio: past capacity is full utilization', args: ratio([[0, 0], [100, 10]]), pod: podRequesting({ cpu: '5000m', memory: '3000Mi' }), node: node1, existing: onNode1, score: 75 },
  // weights: (75*3 + 50*1) / 4 = 68.75 → 69
  { name: 'ratio: weighted', args: ratio([[0, 0], [100, 10]], [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }]), pod, node: node1, existing: onNode1, score: 69 },
];

t.test('Score', async (t) => {
  for (const c of cases) {
    const plugin = factory(c.args, handle) as NodeResourcesFit;
    const nodeInfo = makeNodeInfo(c.node, c.existing ?? []);
    const state = new CycleState();
    t.equal(plugin.preScore(state, c.pod, [nodeInfo]).code, 'Success', `${c.name}: PreScore`);
    t.equal(plugin.score(state, c.pod, nodeInfo).score, c.score, c.name);
    // without PreScore (disabled in a profile) the same score comes out
    t.equal(plugin.score(new CycleState(), c.pod, nodeInfo).score, c.score, `${c.name} (no PreScore)`);
  }
});

t.test('per-resource formulas', async (t) => {
  const rows: Array<[string, number, number]> = [
    ['least: free share, truncated', leastRequestedScore(3001, 4000), 24],
    ['least: over capacity', leastRequestedScore(4001, 4000), 0],
    ['least: no capacity', leastRequestedScore(0, 0), 0],
    ['most: used share, truncated', mostRequestedScore(2999, 4000), 74],
    ['most: capped', mostRequestedScore(9000, 4000), 100],
    // ~4 PB: (free * 100) passes 2^53, where float division would round 98.99…99 up to 99
    ['least: huge capacity stays exact', leastRequestedScore(40000000000001, 4000000000000099), 98],
    ['mulDiv past 2^53', mulDiv(3960000000000098, 100, 4000000000000099), 98],
    ['mulDiv in the safe range', mulDiv(7, 100, 9), 77],
  ];
  for (const [name, got, want] of rows) t.equal(got, want, name);
});

t.test('broken linear function', async (t) => {
  const falling = brokenLinearFunction([
    { utilization: 0, score: 100 },
    { utilization: 100, score: 30 },
  ]);
  // 100 + trunc(-70*75/100 = -52.5) = 48: truncation toward zero, as Go's integer division
  t.equal(falling(75), 48);
  const inner = brokenLinearFunction([
    { utilization: 20, score: 50 },
    { utilization: 80, score: 10 },
  ]);
  t.equal(inner(10), 50, 'flat before the first point');
  t.equal(inner(90), 10, 'flat after the last point');
  t.equal(inner(50), 30, 'on the segment');
  t.equal(brokenLinearFunction([])(50), 0, 'no shape');
});
