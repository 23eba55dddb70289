// DefaultPreemption end to end over fake Filter plugins and the real framework runtime:
// eligibility, candidates, minimal victims, PDBs, node choice, the API writes and the
// failure message, table-driven like kube's default_preemption_test.go.
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import t from 'tap';
import type { Plugin } from '../../framework/types.js';
import { factory, NAME } from './index.js';
import {
  apiError,
  blockerPlugin,
  cpuFilter,
  fakeCluster,
  makeNodeInfo,
  makePod,
  podSlotsFilter,
  taintFilter,
  type NodeSpec,
  type PodSpec,
} from './testing.js';

const pdb = (name: string, matchLabels: Record<string, string>, allowed: number): V1PodDisruptionBudget => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels } },
  status: { disruptionsAllowed: allowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
});

interface Case {
  name: string;
  pod: PodSpec;
  nodes: NodeSpec[];
  plugins?: Plugin[];
  pdbs?: V1PodDisruptionBudget[];
  nominated?: Record<string, PodSpec[]>;
  args?: Record<string, unknown>;
  offset?: number;
  code: string;
  reasons?: string[];
  nominatedNodeName?: string;
  /** pods deleted, in any order */
  deleted?: string[];
}

const cases: Case[] = [
  {
    name: 'preemptionPolicy Never is not eligible',
    pod: { name: 'p', priority: 100, policy: 'Never' },
    nodes: [{ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] }],
    code: 'Unschedulable',
    reasons: ['preemption: not eligible due to preemptionPolicy=Never.'],
  },
  {
    name: 'a victim of an earlier preemption still terminating on the nominated node: wait',
    pod: { name: 'p', priority: 100, nominated: 'n1' },
    nodes: [{ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1, deleting: true, preemptedCondition: true }] }],
    code: 'Unschedulable',
    reasons: ['preemption: not eligible due to a terminating pod on the nominated node.'],
  },
  {
    name: 'a terminating pod not preempted by the scheduler does not block preemption',
    pod: { name: 'p', priority: 100, nominated: 'n1' },
    nodes: [{ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1, deleting: true }] }],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: [],
  },
  {
    name: 'the nominated node became unresolvable: preempt elsewhere',
    pod: { name: 'p', priority: 100, nominated: 'n1' },
    nodes: [
      { name: 'n1', slots: 1, labels: { tainted: 'yes' }, pods: [{ name: 'low', priority: 1, deleting: true, preemptedCondition: true }] },
      { name: 'n2', slots: 1, pods: [{ name: 'low2', priority: 1 }] },
    ],
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['low2'],
  },
  {
    name: 'every node unresolvable: preemption is not helpful',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', labels: { tainted: 'yes' }, pods: [{ name: 'a', priority: 1 }] },
      { name: 'n2', labels: { tainted: 'yes' } },
    ],
    code: 'Unschedulable',
    reasons: ['preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'],
  },
  {
    name: 'no lower-priority pods, a node too small even when empty, an unresolvable node',
    pod: { name: 'p', priority: 100, cpu: '8' },
    nodes: [
      { name: 'n1', labels: { tainted: 'yes' } },
      { name: 'n2', cpu: '4', pods: [{ name: 'a', priority: 1, cpu: '1' }] },
      { name: 'n3', cpu: '16', pods: [{ name: 'b', priority: 200, cpu: '10' }] },
      { name: 'n4', cpu: '16', pods: [{ name: 'c', priority: 100, cpu: '10' }] },
    ],
    code: 'Unschedulable',
    reasons: ['preemption: 0/4 nodes are available: 1 Insufficient cpu, 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.'],
  },
  {
    name: 'the least important pod is the only victim',
    pod: { name: 'p', priority: 100 },
    nodes: [{ name: 'n1', slots: 2, pods: [{ name: 'mid', priority: 5 }, { name: 'lowest', priority: 1 }] }],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['lowest'],
  },
  {
    name: 'victims are minimal: higher-priority pods are reprieved first, the rest only if they still fit',
    pod: { name: 'p', priority: 100, cpu: '2' },
    nodes: [
      {
        name: 'n1',
        cpu: '4',
        pods: [
          { name: 'a', priority: 5, cpu: '1' },
          { name: 'b', priority: 1, cpu: '2' },
          { name: 'c', priority: 3, cpu: '1' },
        ],
      },
    ],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['b'],
  },
  {
    name: 'equal priority: the youngest pod goes',
    pod: { name: 'p', priority: 100 },
    nodes: [
      {
        name: 'n1',
        slots: 2,
        pods: [
          { name: 'old', priority: 1, start: '2025-01-01T00:00:00Z' },
          { name: 'young', priority: 1, start: '2025-06-01T00:00:00Z' },
        ],
      },
    ],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['young'],
  },
  {
    name: 'a PDB is respected where another victim will do',
    pod: { name: 'p', priority: 100 },
    nodes: [{ name: 'n1', slots: 2, pods: [{ name: 'guarded', priority: 1, labels: { app: 'db' } }, { name: 'free', priority: 2 }] }],
    pdbs: [pdb('db', { app: 'db' }, 0)],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['free'],
  },
  {
    name: 'a PDB is violated when nothing else makes room',
    pod: { name: 'p', priority: 100 },
    nodes: [{ name: 'n1', slots: 1, pods: [{ name: 'guarded', priority: 1, labels: { app: 'db' } }] }],
    pdbs: [pdb('db', { app: 'db' }, 0)],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['guarded'],
  },
  {
    name: 'the node without PDB violations is preferred',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', slots: 1, pods: [{ name: 'guarded', priority: 1, labels: { app: 'db' } }] },
      { name: 'n2', slots: 1, pods: [{ name: 'free', priority: 50 }] },
    ],
    pdbs: [pdb('db', { app: 'db' }, 0)],
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['free'],
  },
  {
    name: 'the node whose most important victim has the lowest priority',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', slots: 1, pods: [{ name: 'a', priority: 5 }] },
      { name: 'n2', slots: 1, pods: [{ name: 'b', priority: 3 }] },
      { name: 'n3', slots: 1, pods: [{ name: 'c', priority: 4 }] },
    ],
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['b'],
  },
  {
    name: 'priorities are shifted before summing: one victim of negative priority beats two',
    pod: { name: 'p', priority: 100, cpu: '2' },
    nodes: [
      { name: 'n1', cpu: '2', pods: [{ name: 'a1', priority: -5, cpu: '1' }, { name: 'a2', priority: -5, cpu: '1' }] },
      { name: 'n2', cpu: '2', pods: [{ name: 'b1', priority: -5, cpu: '2' }] },
    ],
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['b1'],
  },
  {
    name: 'nodes with neither pods to evict nor room: no victims; a node with victims is chosen',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', slots: 1, pods: [{ name: 'vip', priority: 1000 }] },
      { name: 'n2', slots: 1, pods: [{ name: 'low', priority: 1 }] },
    ],
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['low'],
  },
  {
    name: 'a higher-priority pod nominated to the node keeps its room',
    pod: { name: 'p', priority: 100 },
    nodes: [{ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] }],
    nominated: { n1: [{ name: 'earlier', priority: 200, nominated: 'n1' }] },
    code: 'Unschedulable',
    reasons: ['preemption: 0/1 nodes are available: 1 Too many pods.'],
  },
  {
    name: 'PreFilter extensions see the removals (a blocker pod is evicted)',
    pod: { name: 'p', priority: 100 },
    plugins: [blockerPlugin, podSlotsFilter],
    nodes: [{ name: 'n1', pods: [{ name: 'blocker', priority: 1, labels: { role: 'blocker' } }, { name: 'bystander', priority: 1 }] }],
    code: 'Success',
    nominatedNodeName: 'n1',
    deleted: ['blocker'],
  },
  {
    name: 'the candidate search stops at its limit, from the random offset',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', slots: 1, pods: [{ name: 'a', priority: 1 }] },
      { name: 'n2', slots: 1, pods: [{ name: 'b', priority: 50 }] },
      { name: 'n3', slots: 1, pods: [{ name: 'c', priority: 60 }] },
    ],
    args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 },
    offset: 2,
    code: 'Success',
    nominatedNodeName: 'n3',
    deleted: ['c'],
  },
  {
    name: 'with two candidates from the offset the better of them wins',
    pod: { name: 'p', priority: 100 },
    nodes: [
      { name: 'n1', slots: 1, pods: [{ name: 'a', priority: 1 }] },
      { name: 'n2', slots: 1, pods: [{ name: 'b', priority: 50 }] },
      { name: 'n3', slots: 1, pods: [{ name: 'c', priority: 60 }] },
    ],
    args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 2 },
    offset: 1,
    code: 'Success',
    nominatedNodeName: 'n2',
    deleted: ['b'],
  },
];

t.test('DefaultPreemption', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const nodes = c.nodes.map(makeNodeInfo);
      const nominated = Object.fromEntries(Object.entries(c.nominated ?? {}).map(([n, pods]) => [n, pods.map(makePod)]));
      const cluster = fakeCluster({ nodes, ...(c.plugins ? { plugins: c.plugins } : {}), ...(c.pdbs ? { pdbs: c.pdbs } : {}), nominated });
      const plugin = factory({ ...c.args, events: cluster.eventSink, randomInt: () => c.offset ?? 0 }, cluster.handle);
      t.equal(plugin.name, NAME);
      const pod = makePod(c.pod);
      const { state, filtered } = cluster.runFilters(pod);
      const before = nodes.map((n) => [...n.pods.keys()].join(','));
      const out = await (plugin as import('../../framework/types.js').PostFilterPlugin).postFilter(state, pod, filtered);
      t.equal(out.status.code, c.code, JSON.stringify(out.status));
      if (c.reasons) t.same(out.status.reasons, c.reasons);
      if (c.nominatedNodeName !== undefined) t.equal(out.result?.nominatedNodeName, c.nominatedNodeName);
      if (c.deleted) t.same(cluster.calls.filter((x) => x.verb === 'delete').map((x) => x.name).sort(), [...c.deleted].sort());
      else t.same(cluster.calls, [], 'no API writes');
      // the simulation ran on clones: the cache's NodeInfos are untouched
      t.same(nodes.map((n) => [...n.pods.keys()].join(',')), before);
    });
  }
});

t.test('a success writes the condition, deletes with the uid precondition, records the event and clears lower nominations', async (t) => {
  const nodes = [makeNodeInfo({ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] })];
  const cluster = fakeCluster({
    nodes,
    nominated: { n1: [makePod({ name: 'lesser', priority: 10, nominated: 'n1' }), makePod({ name: 'greater', priority: 500, nominated: 'n1', cpu: '0' })] },
    plugins: [cpuFilter, podSlotsFilter, taintFilter],
  });
  // 'greater' is nominated with higher priority, so it would take the only slot: give the node two slots for it
  nodes[0]!.allocatable.allowedPodNumber = 2;
  const plugin = factory({ events: cluster.eventSink }, cluster.handle) as import('../../framework/types.js').PostFilterPlugin;
  const pod = makePod({ name: 'p', priority: 100 });
  const { state, filtered } = cluster.runFilters(pod);
  const out = await plugin.postFilter(state, pod, filtered);
  t.equal(out.status.code, 'Success');
  t.equal(out.result?.nominatedNodeName, 'n1');
  const [patch, del, clear, ...rest] = cluster.calls;
  t.same(rest, []);
  t.match(patch, {
    verb: 'patch',
    name: 'low',
    namespace: 'default',
    type: 'strategic',
    subresource: 'status',
    body: { status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }] } },
  });
  t.same(del, { verb: 'delete', name: 'low', namespace: 'default', preconditions: { uid: 'uid-low' } });
  t.same(clear, { verb: 'patch', name: 'lesser', namespace: 'default', type: 'strategic', subresource: 'status', body: { status: { nominatedNodeName: null } } });
  t.same(cluster.events, [{ name: 'low', type: 'Normal', reason: 'Preempted', message: 'Preempted by pod uid-p on node n1' }]);
});

t.test('API outcomes of preempting a victim', async (t) => {
  const table: Array<{ name: string; fail: Record<string, Error>; code: string; reason?: RegExp; events: number }> = [
    { name: 'already gone at the condition patch: fine, no event', fail: { 'patch low': apiError(404, 'NotFound') }, code: 'Success', events: 0 },
    { name: 'replaced by a same-named pod: fine, no event', fail: { 'delete low': apiError(409, 'Conflict') }, code: 'Success', events: 0 },
    { name: 'the delete fails: an Error status', fail: { 'delete low': apiError(500, 'InternalError') }, code: 'Error', reason: /^preemption: preempting default\/low: /, events: 0 },
  ];
  for (const c of table) {
    t.test(c.name, async (t) => {
      const cluster = fakeCluster({ nodes: [makeNodeInfo({ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] })], fail: c.fail });
      const plugin = factory({ events: cluster.eventSink }, cluster.handle) as import('../../framework/types.js').PostFilterPlugin;
      const pod = makePod({ name: 'p', priority: 100 });
      const { state, filtered } = cluster.runFilters(pod);
      const out = await plugin.postFilter(state, pod, filtered);
      t.equal(out.status.code, c.code);
      if (c.reason) t.match(out.status.reasons[0], c.reason);
      t.equal(cluster.events.length, c.events);
    });
  }
});

t.test('the events sink may come from the handle', async (t) => {
  const cluster = fakeCluster({ nodes: [makeNodeInfo({ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] })] });
  const plugin = factory(undefined, Object.assign(cluster.handle, { events: cluster.eventSink })) as import('../../framework/types.js').PostFilterPlugin;
  const pod = makePod({ name: 'p', priority: 100 });
  const { state, filtered } = cluster.runFilters(pod);
  await plugin.postFilter(state, pod, filtered);
  t.equal(cluster.events.length, 1);
});

t.test('without nodes or without a client: Error statuses, not throws', async (t) => {
  const empty = fakeCluster({ nodes: [] });
  const pod: V1Pod = makePod({ name: 'p', priority: 100 });
  const out = await (factory(undefined, empty.handle) as import('../../framework/types.js').PostFilterPlugin).postFilter(empty.runFilters(pod).state, pod, new Map());
  t.same(out.status, { code: 'Error', reasons: ['preemption: no nodes available'] });

  const cluster = fakeCluster({ nodes: [makeNodeInfo({ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1 }] })] });
  cluster.handle.client = undefined;
  const { state, filtered } = cluster.runFilters(pod);
  const out2 = await (factory(undefined, cluster.handle) as import('../../framework/types.js').PostFilterPlugin).postFilter(state, pod, filtered);
  t.equal(out2.status.code, 'Error');
});

t.test('a victim already being deleted needs no API call', async (t) => {
  const cluster = fakeCluster({ nodes: [makeNodeInfo({ name: 'n1', slots: 1, pods: [{ name: 'low', priority: 1, deleting: true }] })] });
  const plugin = factory({ events: cluster.eventSink }, cluster.handle) as import('../../framework/types.js').PostFilterPlugin;
  const pod = makePod({ name: 'p', priority: 100 });
  const { state, filtered } = cluster.runFilters(pod);
  const out = await plugin.postFilter(state, pod, filtered);
  t.equal(out.status.code, 'Success');
  t.same(cluster.calls, []);
  t.same(cluster.events, []);
});

t.test('invalid args are refused with kube\'s messages', async (t) => {
  const cluster = fakeCluster({ nodes: [] });
  t.throws(() => factory({ minCandidateNodesPercentage: 101 }, cluster.handle), /minCandidateNodesPercentage: Invalid value: 101: not in valid range \[0, 100\]/);
  t.throws(() => factory({ minCandidateNodesAbsolute: -1 }, cluster.handle), /minCandidateNodesAbsolute: Invalid value: -1: not in valid range \[0, inf\)/);
  t.throws(() => factory({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }, cluster.handle), /both minCandidateNodesPercentage and minCandidateNodesAbsolute cannot be zero/);
  t.throws(() => factory('nope', cluster.handle), /args must be an object/);
  t.throws(() => factory({ events: 'yes' }, cluster.handle), /events must be an event recorder/);
});

