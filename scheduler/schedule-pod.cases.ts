import type { V1Node, V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { SchedulerCache } from './cache/scheduler-cache.js';
import type { ExtensionPoint } from './config/types.js';
import { CycleState } from './framework/cycle-state.js';
import { Framework } from './framework/runtime.js';
import { success, unresolvable, unschedulable } from './framework/status.js';
import type { FilterPlugin, Plugin, PreFilterPlugin, ScorePlugin } from './framework/types.js';
import { decisionTable, topScores } from './decisions/decision-table.js';
import { schedulePod } from './schedule-pod.js';

const node = (name: string, labels: Record<string, string> = {}): V1Node => ({ metadata: { name, labels }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, extra: Partial<V1Pod['spec']> = {}, nominated?: string): V1Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', image: 'x' }], ...extra },
  ...(nominated ? { status: { nominatedNodeName: nominated } } : {}),
});

/** rejects nodes labelled bad=yes (unschedulable) or never=yes (unresolvable) */
const labelFilter: FilterPlugin = {
  name: 'LabelFilter',
  filter: (_s, _p, n) =>
    n.node?.metadata?.labels?.never ? unresolvable('node(s) never') : n.node?.metadata?.labels?.bad ? unschedulable('node(s) bad') : success(),
};
/** scores a node by its label score=N */
const labelScore: ScorePlugin = { name: 'LabelScore', score: (_s, _p, n) => ({ score: Number(n.node?.metadata?.labels?.score ?? 0) }) };

function framework(plugins: Plugin[], points: Partial<Record<ExtensionPoint, string[]>>, weights: Record<string, number> = {}, pct?: number) {
  const all = { queueSort: [], preFilter: [], filter: [], postFilter: [], preScore: [], score: [], reserve: [], permit: [], bind: [], postBind: [], ...points } as Record<ExtensionPoint, string[]>;
  return new Framework('default-scheduler', new Map(plugins.map((p) => [p.name, p])), { points: all, weights: new Map(Object.entries(weights)) }, pct);
}

function cacheOf(nodes: V1Node[]): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.addNode(n);
  return c;
}

t.test('filters, scores and picks the best node', async (t) => {
  const fw = framework([labelFilter, labelScore], { filter: ['LabelFilter'], score: ['LabelScore'] }, { LabelScore: 2 });
  const cache = cacheOf([node('a', { score: '10' }), node('b', { bad: 'yes', score: '90' }), node('c', { score: '40' }), node('d', { never: 'yes' })]);
  const r = schedulePod({ framework: fw, snapshot: cache, state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.equal(r.node, 'c');
  t.equal(r.totalNodes, 4);
  t.equal(r.evaluatedNodes, 4);
  t.equal(r.feasibleNodes, 2);
  t.same([...r.statuses.keys()].sort(), ['b', 'd']);
  t.match(r.statuses.get('b'), { code: 'Unschedulable', plugin: 'LabelFilter', reasons: ['node(s) bad'] });
  const table = decisionTable(r);
  t.match(table[0], { node: 'c', total: 80, scores: { LabelScore: 80 } }, 'the chosen node first, weighted');
  t.match(table[1], { node: 'a', total: 20 });
  t.match(table.find((n) => n.node === 'd'), { rejectedBy: { plugin: 'LabelFilter', code: 'UnschedulableAndUnresolvable' } });
  t.same(topScores(r.scores, 1), [{ node: 'c', total: 80 }]);
});

t.test('no feasible node: statuses for all, no node', async (t) => {
  const fw = framework([labelFilter], { filter: ['LabelFilter'] });
  const r = schedulePod({ framework: fw, snapshot: cacheOf([node('a', { bad: 'y' }), node('b', { never: 'y' })]), state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.equal(r.node, undefined);
  t.equal(r.statuses.size, 2);
  t.equal(r.error, undefined);
});

t.test('no nodes at all', async (t) => {
  const r = schedulePod({ framework: framework([], {}), snapshot: cacheOf([]), state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.same({ node: r.node, total: r.totalNodes }, { node: undefined, total: 0 });
});

t.test('a PreFilter rejection rejects every node; a PreFilter node set narrows the search', async (t) => {
  const reject: PreFilterPlugin = { name: 'Gate', preFilter: () => ({ status: unresolvable('gate closed') }) };
  const r = schedulePod({ framework: framework([reject], { preFilter: ['Gate'] }), snapshot: cacheOf([node('a'), node('b')]), state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.same([...r.statuses.values()].map((s) => s.reasons[0]), ['gate closed', 'gate closed']);
  const only: PreFilterPlugin = { name: 'Only', preFilter: () => ({ status: success(), result: { nodeNames: new Set(['b']) } }) };
  const r2 = schedulePod({ framework: framework([only], { preFilter: ['Only'] }), snapshot: cacheOf([node('a'), node('b')]), state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.equal(r2.node, 'b');
  t.equal(r2.statuses.get('a')?.reasons[0], "node(s) didn't satisfy plugin(s) [Only]");
});

t.test('percentageOfNodesToScore stops the search early and the next pod starts where it stopped', async (t) => {
  const nodes = Array.from({ length: 300 }, (_, i) => node(`n${String(i).padStart(3, '0')}`));
  const fw = framework([labelFilter], { filter: ['LabelFilter'] }, {}, 10);
  const cache = cacheOf(nodes);
  const r = schedulePod({ framework: fw, snapshot: cache, state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.equal(r.evaluatedNodes, 100, 'at least 100 nodes (kube minFeasibleNodesToFind), 10 % of 300 is less');
  t.equal(r.feasibleNodes, 100);
  t.equal(r.nextStartNodeIndex, 100);
  const r2 = schedulePod({ framework: fw, snapshot: cache, state: new CycleState(), pod: pod('q'), percentageOfNodesToScore: 0, nextStartNodeIndex: r.nextStartNodeIndex });
  t.equal(r2.nextStartNodeIndex, 200);
});

t.test('a nominated node that fits is taken without searching', async (t) => {
  const fw = framework([labelFilter, labelScore], { filter: ['LabelFilter'], score: ['LabelScore'] });
  const cache = cacheOf([node('a', { score: '90' }), node('b', { score: '10' })]);
  const r = schedulePod({ framework: fw, snapshot: cache, state: new CycleState(), pod: pod('p', {}, 'b'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.equal(r.node, 'b');
  t.equal(r.evaluatedNodes, 1);
});

t.test('ties are broken by the random source', async (t) => {
  const fw = framework([labelScore], { score: ['LabelScore'] });
  const cache = cacheOf([node('a'), node('b'), node('c')]);
  const pick = (value: number) => schedulePod({ framework: fw, snapshot: cache, state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0, random: () => value }).node;
  t.equal(pick(0.99), 'a', 'never replaced');
  t.equal(pick(0), 'c', 'always replaced');
});

t.test('a plugin that throws is an Error, not a crash', async (t) => {
  const boom: FilterPlugin = {
    name: 'Boom',
    filter: () => {
      throw new Error('kaput');
    },
  };
  const r = schedulePod({ framework: framework([boom], { filter: ['Boom'] }), snapshot: cacheOf([node('a')]), state: new CycleState(), pod: pod('p'), percentageOfNodesToScore: 0, nextStartNodeIndex: 0 });
  t.match(r.error, { code: 'Error', plugin: 'Boom', reasons: ['Boom: kaput'] });
});
