/**
 * PodTopologySpread's PreScore + Score + NormalizeScore, table-driven like kube's
 * scoring_test.go. Each expected score is worked out in the case's comment from
 * raw = round(Σ count × log(domains + 2) + maxSkew − 1) and
 * normalized = trunc(100 × (max + min − raw) / max).
 */
import t from 'tap';
import type { V1LabelSelector, V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { LABEL_TOPOLOGY_ZONE } from './constraints.js';
import { scoreForCount, topologyNormalizingWeight } from './scoring.js';
import { cluster, constraint, HOST, node, pod, podsOn, runScore, ZONE } from './testing.js';

const matching = { foo: '' };
const soft = (key: string, maxSkew: number) => constraint(key, maxSkew, 'ScheduleAnyway');

const fourNodes = (): V1Node[] => [
  node('node-a', { [ZONE]: 'zone1' }),
  node('node-b', { [ZONE]: 'zone1' }),
  node('node-x', { [ZONE]: 'zone2' }),
  node('node-y', { [ZONE]: 'zone2' }),
];

interface Case {
  name: string;
  nodes?: V1Node[];
  existing?: V1Pod[];
  incoming: V1Pod;
  candidates?: string[];
  args?: unknown;
  workloadSelectors?: V1LabelSelector[];
  want: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'one hostname constraint, no existing pods: every node 100',
    nodes: [node('node-a'), node('node-b')],
    incoming: pod({ labels: matching, constraints: [soft(HOST, 1)] }),
    want: { 'node-a': 100, 'node-b': 100 },
  },
  {
    // weight log(6) ≈ 1.79: raw a = round(3.58) = 4, b = 2, x = 0, y = round(5.38) = 5
    name: 'hostname constraint, pods 2/1/0/3 over 4 candidates',
    existing: [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-y', 3)],
    incoming: pod({ labels: matching, constraints: [soft(HOST, 1)] }),
    want: { 'node-a': 20, 'node-b': 60, 'node-x': 100, 'node-y': 0 },
  },
  {
    // 2 zones, weight log(4) ≈ 1.39: zone1 (3 pods) raw 4, zone2 (1 pod) raw 1
    name: 'zone constraint, pods 3/1 across zones',
    existing: [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-x', 1)],
    incoming: pod({ labels: matching, constraints: [soft(ZONE, 1)] }),
    want: { 'node-a': 25, 'node-b': 25, 'node-x': 100, 'node-y': 100 },
  },
  {
    // maxSkew 3 adds 2 to every raw score: a = round(1.39 + 2) = 3, b = 2 → a = trunc(200/3)
    name: 'maxSkew waters down the difference',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 1),
    incoming: pod({ labels: matching, constraints: [soft(HOST, 3)] }),
    want: { 'node-a': 66, 'node-b': 100 },
  },
  {
    // node-b has no zone: ignored (0); domains zone1, zone2 → raw a = round(1.39) = 1, x = 0
    name: 'a candidate without the topology key is ignored and scores 0',
    nodes: [node('node-a', { [ZONE]: 'zone1' }), node('node-b'), node('node-x', { [ZONE]: 'zone2' })],
    existing: podsOn('node-a', 1),
    incoming: pod({ labels: matching, constraints: [soft(ZONE, 1)] }),
    want: { 'node-a': 0, 'node-b': 0, 'node-x': 100 },
  },
  {
    // domains only from candidates (zone1, zone2; zone3's 5 pods are not counted); node-b's
    // 2 pods count for zone1 although node-b is not a candidate: raw a = round(2.77) = 3, x = 0
    name: 'domains come from candidates, counts from all nodes',
    nodes: [node('node-a', { [ZONE]: 'zone1' }), node('node-b', { [ZONE]: 'zone1' }), node('node-x', { [ZONE]: 'zone2' }), node('node-y', { [ZONE]: 'zone3' })],
    existing: [...podsOn('node-b', 2), ...podsOn('node-y', 5)],
    candidates: ['node-a', 'node-x'],
    incoming: pod({ labels: matching, constraints: [soft(ZONE, 1)] }),
    want: { 'node-a': 0, 'node-x': 100 },
  },
  {
    // candidates a (zone1) and x (zone2) carry disk=ssd, which the pod requires; node-b
    // (zone1, 3 pods) is not eligible under nodeAffinityPolicy Honor, so zone1 = 0 and
    // zone2 = 1: raw a = 0, x = round(1.39) = 1
    name: 'nodeAffinityPolicy Honor: pods on nodes the pod cannot use do not count',
    nodes: [node('node-a', { [ZONE]: 'zone1', disk: 'ssd' }), node('node-b', { [ZONE]: 'zone1' }), node('node-x', { [ZONE]: 'zone2', disk: 'ssd' })],
    existing: [...podsOn('node-b', 3), ...podsOn('node-x', 1)],
    candidates: ['node-a', 'node-x'],
    incoming: pod({ labels: matching, nodeSelector: { disk: 'ssd' }, constraints: [soft(ZONE, 1)] }),
    want: { 'node-a': 100, 'node-x': 0 },
  },
  {
    // the same with nodeAffinityPolicy Ignore: zone1 = 3 → raw 4, zone2 raw 1
    name: 'nodeAffinityPolicy Ignore: pods on every node count',
    nodes: [node('node-a', { [ZONE]: 'zone1', disk: 'ssd' }), node('node-b', { [ZONE]: 'zone1' }), node('node-x', { [ZONE]: 'zone2', disk: 'ssd' })],
    existing: [...podsOn('node-b', 3), ...podsOn('node-x', 1)],
    candidates: ['node-a', 'node-x'],
    incoming: pod({ labels: matching, nodeSelector: { disk: 'ssd' }, constraints: [constraint(ZONE, 1, 'ScheduleAnyway', { nodeAffinityPolicy: 'Ignore' })] }),
    want: { 'node-a': 25, 'node-x': 100 },
  },
  {
    // two constraints: zone (2 domains, weight 1.39) and hostname (4 candidates, weight 1.79)
    // zone1 = 3 pods, zone2 = 0: a = round(3×1.39 + 2×1.79) = round(7.74) = 8,
    // b = round(4.16 + 1.79) = 6, x = y = 0 → a = trunc(100×0/8) = 0, b = trunc(200/8) = 25
    name: 'zone and hostname constraints add up',
    existing: [...podsOn('node-a', 2), ...podsOn('node-b', 1)],
    incoming: pod({ labels: matching, constraints: [soft(ZONE, 1), soft(HOST, 1)] }),
    want: { 'node-a': 0, 'node-b': 25, 'node-x': 100, 'node-y': 100 },
  },
  {
    name: 'terminating pods and pods of other namespaces do not count',
    nodes: [node('node-a'), node('node-b')],
    existing: [...podsOn('node-a', 2, matching, { terminating: true }), ...podsOn('node-a', 2, matching, { namespace: 'other' })],
    incoming: pod({ labels: matching, constraints: [soft(HOST, 1)] }),
    want: { 'node-a': 100, 'node-b': 100 },
  },
  {
    // System defaults (hostname maxSkew 3, zone maxSkew 5) with the Service selector app=web.
    // node-x has no zone label and is still scored (hostname only). 3 candidates: hostname
    // weight log(5) ≈ 1.61; zone domains zone1 and "" → weight log(4) ≈ 1.39, zone1 has 2.
    // a = round(2×1.61 + 2 + 2×1.39 + 4) = 12, b = round(2 + 6.77) = 9, x = round(1.61 + 2) = 4
    // → a = trunc(400/12) = 33, b = trunc(700/12) = 58, x = 100
    name: 'system default constraints with a workload selector',
    nodes: [node('node-a', { [LABEL_TOPOLOGY_ZONE]: 'zone1' }), node('node-b', { [LABEL_TOPOLOGY_ZONE]: 'zone1' }), node('node-x')],
    existing: [...podsOn('node-a', 2, { app: 'web' }), ...podsOn('node-x', 1, { app: 'web' }), ...podsOn('node-b', 4, { app: 'db' })],
    incoming: pod({ labels: { app: 'web' } }),
    workloadSelectors: [{ matchLabels: { app: 'web' } }],
    want: { 'node-a': 33, 'node-b': 58, 'node-x': 100 },
  },
  {
    // no node has the zone label: the default zone constraint adds nothing, hostname spreading
    // still applies (weight log(5)): raw a = round(5.22) = 5, b = 2, x = round(3.61) = 4
    name: 'system defaults on nodes without any zone label: hostname spreading only',
    nodes: [node('node-a'), node('node-b'), node('node-x')],
    existing: [...podsOn('node-a', 2, { app: 'web' }), ...podsOn('node-x', 1, { app: 'web' })],
    incoming: pod({ labels: { app: 'web' } }),
    workloadSelectors: [{ matchLabels: { app: 'web' } }],
    want: { 'node-a': 40, 'node-b': 100, 'node-x': 60 },
  },
  {
    // List defaults need every topology key: node-x (no zone) is ignored
    name: 'List default constraints ignore nodes without every key',
    args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway' }] },
    nodes: [node('node-a', { [ZONE]: 'zone1' }), node('node-b', { [ZONE]: 'zone2' }), node('node-x')],
    existing: podsOn('node-a', 1, { app: 'web' }),
    incoming: pod({ labels: { app: 'web' } }),
    workloadSelectors: [{ matchLabels: { app: 'web' } }],
    want: { 'node-a': 0, 'node-b': 100, 'node-x': 0 },
  },
];

t.test('Score: table', async (t) => {
  for (const c of cases) {
    const cl = cluster(c.nodes ?? fourNodes(), c.existing ?? [], c.args, c.workloadSelectors);
    const { preScore, scores } = runScore(cl, c.incoming, c.candidates);
    t.equal(preScore.code, 'Success', `${c.name}: PreScore`);
    t.same(scores, c.want, c.name);
  }
});

t.test('PreScore skips when there is nothing to score', async (t) => {
  const cl = cluster(fourNodes(), podsOn('node-a', 1, { app: 'web' }));
  t.equal(runScore(cl, pod({ labels: matching, constraints: [constraint(ZONE, 1)] })).preScore.code, 'Skip', 'only hard constraints');
  t.equal(runScore(cl, pod({ labels: { app: 'web' } })).preScore.code, 'Skip', 'no constraints and no workload selects the pod');
  const withWorkload = cluster(fourNodes(), [], undefined, [{ matchLabels: { app: 'web' } }]);
  t.equal(
    runScore(withWorkload, pod({ labels: { app: 'web' }, constraints: [constraint(ZONE, 1)] })).preScore.code,
    'Skip',
    'own constraints replace the defaults entirely',
  );
  t.equal(runScore(cluster([], [], undefined, [{ matchLabels: { app: 'web' } }]), pod({ labels: { app: 'web' } })).preScore.code, 'Skip', 'no nodes');
  const empty = cluster(fourNodes(), [], undefined, [{}]);
  t.equal(runScore(empty, pod({ labels: { app: 'web' } })).preScore.code, 'Skip', 'an empty workload selector gives no defaults');
});

t.test('Score and NormalizeScore without PreScore state report an error', async (t) => {
  const cl = cluster(fourNodes());
  const p = pod({ labels: matching, constraints: [soft(HOST, 1)] });
  t.equal(cl.plugin.score(new CycleState(), p, cl.infos[0]!).status?.code, 'Error');
  t.equal(cl.plugin.normalizeScore(new CycleState(), p, []).code, 'Error');
});

t.test('the weight and count formulas', async (t) => {
  t.equal(topologyNormalizingWeight(0), Math.log(2));
  t.equal(topologyNormalizingWeight(5000).toFixed(2), '8.52', "kube's comment: at most 8.52 for 5k nodes");
  t.equal(scoreForCount(0, 1, 3), 0);
  t.equal(scoreForCount(2, 5, 1.5), 7);
});
