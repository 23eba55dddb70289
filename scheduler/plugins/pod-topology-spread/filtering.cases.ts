/**
 * PodTopologySpread's PreFilter + Filter, table-driven like kube's filtering_test.go:
 * existing pods placed on nodes, an incoming pod, and the expected code per node
 * (S = Success, U = Unschedulable, R = UnschedulableAndUnresolvable). The reasons are
 * checked against kube's exact texts.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo, newPodInfo } from '../../framework/node-info.js';
import { DomainCounts, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PRE_FILTER_STATE_KEY, type PreFilterState } from './filtering.js';
import { cluster, constraint, HOST, node, pod, podsOn, runFilter, ZONE } from './testing.js';

type Expect = 'S' | 'U' | 'R';
const CODE: Record<Expect, string> = { S: 'Success', U: 'Unschedulable', R: 'UnschedulableAndUnresolvable' };
const REASON: Record<Expect, string | undefined> = { S: undefined, U: ERR_REASON_CONSTRAINTS_NOT_MATCH, R: ERR_REASON_NODE_LABEL_NOT_MATCH };

const fourNodes = (): V1Node[] => [
  node('node-a', { [ZONE]: 'zone1' }),
  node('node-b', { [ZONE]: 'zone1' }),
  node('node-x', { [ZONE]: 'zone2' }),
  node('node-y', { [ZONE]: 'zone2' }),
];

const spread = (counts: Record<string, number>, labels: Record<string, string> = { foo: '' }): V1Pod[] =>
  Object.entries(counts).flatMap(([n, k]) => podsOn(n, k, labels));

interface Case {
  name: string;
  nodes?: V1Node[];
  existing?: V1Pod[];
  incoming: V1Pod;
  want: Record<string, Expect>;
}

const matching = { foo: '' };

const cases: Case[] = [
  {
    name: 'no existing pods',
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'no existing pods, incoming pod does not match itself',
    incoming: pod({ labels: { bar: '' }, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'existing pods in another namespace do not count',
    existing: podsOn('node-a', 3, matching, { namespace: 'other' }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'pods spread across zones as 3/3, all nodes fit',
    existing: spread({ 'node-a': 1, 'node-b': 2, 'node-x': 2, 'node-y': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'pods spread across zones as 3/4, only zone1 fits (skew exceeded)',
    existing: spread({ 'node-a': 1, 'node-b': 2, 'node-x': 2, 'node-y': 2 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'U', 'node-y': 'U' },
  },
  {
    name: 'node-b lacks the zone label: its pods do not count and it is unresolvable',
    nodes: [node('node-a', { [ZONE]: 'zone1' }), node('node-b'), node('node-x', { [ZONE]: 'zone2' }), node('node-y', { [ZONE]: 'zone2' })],
    existing: spread({ 'node-a': 1, 'node-b': 2, 'node-x': 1, 'node-y': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'R', 'node-x': 'U', 'node-y': 'U' },
  },
  {
    name: 'no node has the topology key: all unresolvable',
    incoming: pod({ labels: matching, constraints: [constraint('rack', 1)] }),
    want: { 'node-a': 'R', 'node-b': 'R', 'node-x': 'R', 'node-y': 'R' },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, only node-x fits',
    existing: spread({ 'node-a': 2, 'node-b': 1, 'node-y': 3 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'S', 'node-y': 'U' },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, maxSkew 2: node-b and node-x fit',
    existing: spread({ 'node-a': 2, 'node-b': 1, 'node-y': 3 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 2)] }),
    want: { 'node-a': 'U', 'node-b': 'S', 'node-x': 'S', 'node-y': 'U' },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, incoming pod does not match itself',
    existing: spread({ 'node-a': 2, 'node-b': 1, 'node-y': 3 }),
    incoming: pod({ labels: { bar: '' }, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'U', 'node-b': 'S', 'node-x': 'S', 'node-y': 'U' },
  },
  {
    name: 'nodeAffinityPolicy Honor (default): only zone1 nodes are domains, min is 2',
    existing: spread({ 'node-a': 2, 'node-b': 3 }),
    incoming: pod({ labels: matching, nodeSelector: { [ZONE]: 'zone1' }, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'U', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'nodeAffinityPolicy Ignore: zone2 nodes count, min is 0',
    existing: spread({ 'node-a': 2, 'node-b': 3 }),
    incoming: pod({ labels: matching, nodeSelector: { [ZONE]: 'zone1' }, constraints: [constraint(HOST, 1, 'DoNotSchedule', { nodeAffinityPolicy: 'Ignore' })] }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'minDomains unset: 1/1 across two zones fits everywhere',
    existing: spread({ 'node-a': 1, 'node-x': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'minDomains 3 > 2 domains: the global minimum is 0, nothing fits',
    existing: spread({ 'node-a': 1, 'node-x': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1, 'DoNotSchedule', { minDomains: 3 })] }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'U', 'node-y': 'U' },
  },
  {
    name: 'minDomains 2 = 2 domains: the real minimum applies',
    existing: spread({ 'node-a': 1, 'node-x': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1, 'DoNotSchedule', { minDomains: 2 })] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S', 'node-y': 'S' },
  },
  {
    name: 'minDomains 5 on hostname with maxSkew 2: nodes with one pod still fit',
    existing: spread({ 'node-a': 1, 'node-b': 1, 'node-x': 2, 'node-y': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 2, 'DoNotSchedule', { minDomains: 5 })] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'U', 'node-y': 'S' },
  },
  {
    name: 'nodeTaintsPolicy Ignore (default): the tainted empty node is the minimum',
    nodes: [node('node-a'), node('node-b'), node('node-x', {}, [{ key: 'k', effect: 'NoSchedule' }])],
    existing: spread({ 'node-a': 1, 'node-b': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'S' },
  },
  {
    name: 'nodeTaintsPolicy Honor: the untolerated tainted node is not a domain',
    nodes: [node('node-a'), node('node-b'), node('node-x', {}, [{ key: 'k', effect: 'NoSchedule' }])],
    existing: spread({ 'node-a': 1, 'node-b': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })] }),
    want: { 'node-a': 'S', 'node-b': 'S', 'node-x': 'S' },
  },
  {
    name: 'nodeTaintsPolicy Honor with a toleration: the tainted node is a domain again',
    nodes: [node('node-a'), node('node-b'), node('node-x', {}, [{ key: 'k', effect: 'NoSchedule' }])],
    existing: spread({ 'node-a': 1, 'node-b': 1 }),
    incoming: pod({
      labels: matching,
      tolerations: [{ key: 'k', operator: 'Exists' }],
      constraints: [constraint(HOST, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })],
    }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'S' },
  },
  {
    name: 'nodeTaintsPolicy Honor ignores PreferNoSchedule taints',
    nodes: [node('node-a'), node('node-b'), node('node-x', {}, [{ key: 'k', effect: 'PreferNoSchedule' }])],
    existing: spread({ 'node-a': 1, 'node-b': 1 }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })] }),
    want: { 'node-a': 'U', 'node-b': 'U', 'node-x': 'S' },
  },
  {
    name: 'matchLabelKeys: only pods with the same value of the key count',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 2, { foo: '', rev: 'old' }),
    incoming: pod({ labels: { foo: '', rev: 'new' }, constraints: [constraint(HOST, 1, 'DoNotSchedule', { matchLabelKeys: ['rev'] })] }),
    want: { 'node-a': 'S', 'node-b': 'S' },
  },
  {
    name: 'without matchLabelKeys the old revision counts',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 2, { foo: '', rev: 'old' }),
    incoming: pod({ labels: { foo: '', rev: 'new' }, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'U', 'node-b': 'S' },
  },
  {
    name: 'matchLabelKeys the pod does not carry are ignored',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 2, { foo: '', rev: 'old' }),
    incoming: pod({ labels: { foo: '' }, constraints: [constraint(HOST, 1, 'DoNotSchedule', { matchLabelKeys: ['rev'] })] }),
    want: { 'node-a': 'U', 'node-b': 'S' },
  },
  {
    name: 'terminating pods are not counted',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 2, matching, { terminating: true }),
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'S' },
  },
  {
    name: 'two constraints (zone and hostname): a node must satisfy both',
    existing: spread({ 'node-b': 1, 'node-x': 2 }),
    incoming: pod({ labels: matching, constraints: [constraint(ZONE, 1), constraint(HOST, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'U', 'node-x': 'U', 'node-y': 'U' },
  },
  {
    name: 'two constraints: a node without the zone label is unresolvable even if hostname fits',
    nodes: [node('node-a', { [ZONE]: 'zone1' }), node('node-b')],
    incoming: pod({ labels: matching, constraints: [constraint(HOST, 1), constraint(ZONE, 1)] }),
    want: { 'node-a': 'S', 'node-b': 'R' },
  },
  {
    name: 'an empty selector counts no existing pods (kube quirk), the pod still matches itself',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 3),
    incoming: pod({ labels: matching, constraints: [{ topologyKey: HOST, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] }),
    want: { 'node-a': 'S', 'node-b': 'S' },
  },
  {
    name: 'a missing selector selects nothing',
    nodes: [node('node-a'), node('node-b')],
    existing: podsOn('node-a', 3),
    incoming: pod({ labels: matching, constraints: [{ topologyKey: HOST, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] }),
    want: { 'node-a': 'S', 'node-b': 'S' },
  },
];

t.test('Filter: table', async (t) => {
  for (const c of cases) {
    const cl = cluster(c.nodes ?? fourNodes(), c.existing ?? []);
    const { preFilter, results } = runFilter(cl, c.incoming);
    t.equal(preFilter.code, 'Success', `${c.name}: PreFilter`);
    for (const [nodeName, want] of Object.entries(c.want)) {
      const got = results.get(nodeName);
      t.equal(got?.code, CODE[want], `${c.name}: ${nodeName}`);
      t.equal(got?.reasons[0], REASON[want], `${c.name}: ${nodeName} reason`);
    }
  }
});

t.test('PreFilter skips pods without hard constraints, and fails on a bad selector', async (t) => {
  const cl = cluster(fourNodes());
  t.equal(runFilter(cl, pod({ labels: matching })).preFilter.code, 'Skip', 'no constraints, no workload: no defaults');
  t.equal(runFilter(cl, pod({ labels: matching, constraints: [constraint(ZONE, 1, 'ScheduleAnyway')] })).preFilter.code, 'Skip', 'only soft constraints');
  const bad = pod({
    labels: matching,
    constraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Near' }] } }],
  });
  const status = runFilter(cl, bad).preFilter;
  t.equal(status.code, 'Error');
  t.match(status.reasons[0], /"Near" is not a valid label selector operator/);
  t.equal(cl.plugin.filter(new CycleState(), bad, cl.infos[0]!).code, 'Error', 'Filter without PreFilter state is an error, not a crash');
  const ghost = cluster([node('node-a')]);
  ghost.infos.push(new NodeInfo('ghost'));
  const { results } = runFilter(ghost, pod({ labels: matching, constraints: [constraint(HOST, 1)] }));
  t.equal(results.get('node-a')?.code, 'Success', 'a NodeInfo whose Node has not arrived is left out of the counts');
  t.equal(results.get('ghost')?.code, 'Error');
});

t.test('PreFilterExtensions: preemption adds and removes pods', async (t) => {
  const victim = pod({ nodeName: 'node-a', labels: matching });
  const otherNs = pod({ nodeName: 'node-b', labels: matching, namespace: 'other' });
  const cl = cluster([node('node-a'), node('node-b')], [victim]);
  const incoming = pod({ labels: matching, constraints: [constraint(HOST, 1)] });
  const { state, results } = runFilter(cl, incoming);
  t.equal(results.get('node-a')?.code, 'Unschedulable', 'a: 1 + 1 - 0 > 1');
  const a = cl.infos[0]!;
  const b = cl.infos[1]!;
  const ext = cl.plugin.preFilterExtensions()!;

  const whatIf = state.clone();
  const aWithout = a.clone();
  aWithout.removePod(newPodInfo(victim).key);
  t.equal(ext.removePod(whatIf, incoming, newPodInfo(victim), aWithout).code, 'Success');
  t.equal(cl.plugin.filter(whatIf, incoming, aWithout).code, 'Success', 'with the victim gone node-a fits');
  t.equal(cl.plugin.filter(state, incoming, a).code, 'Unschedulable', 'the original state is untouched by the clone');

  t.equal(ext.addPod(whatIf, incoming, newPodInfo(otherNs), b).code, 'Success');
  t.equal(cl.plugin.filter(whatIf, incoming, aWithout).code, 'Success', 'a pod of another namespace does not count');
  ext.addPod(whatIf, incoming, newPodInfo(pod({ nodeName: 'node-b', labels: matching })), b);
  ext.addPod(whatIf, incoming, newPodInfo(pod({ nodeName: 'node-b', labels: matching })), b);
  t.equal(cl.plugin.filter(whatIf, incoming, b).code, 'Unschedulable', 'b: 2 + 1 - 0 > 1');
  t.equal(cl.plugin.filter(whatIf, incoming, aWithout).code, 'Success', 'a: 0 + 1 - 0');

  t.equal(ext.addPod(new CycleState(), incoming, newPodInfo(victim), a).code, 'Error', 'no PreFilter state: an error status');
});

t.test('the global minimum stays exact over many updates (where two critical paths go stale)', async (t) => {
  const counts = new DomainCounts(new Map([['A', 1], ['B', 2], ['C', 2]]));
  t.equal(counts.min(), 1);
  counts.add('A', 1);
  counts.add('A', 1);
  counts.add('B', 1);
  t.equal(counts.min(), 2, 'C still has 2');
  const copy = counts.clone();
  copy.add('C', -2);
  t.equal(copy.min(), 0);
  t.equal(counts.min(), 2, 'clones are independent');
});

t.test('PreFilter state records every eligible domain, empty ones too', async (t) => {
  const cl = cluster(fourNodes(), podsOn('node-a', 2));
  const { state } = runFilter(cl, pod({ labels: matching, constraints: [constraint(ZONE, 1), constraint(HOST, 1)] }));
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY)!;
  t.same(Object.fromEntries(s.counts[0]!.byValue), { zone1: 2, zone2: 0 });
  t.same(Object.fromEntries(s.counts[1]!.byValue), { 'node-a': 2, 'node-b': 0, 'node-x': 0, 'node-y': 0 });
});
