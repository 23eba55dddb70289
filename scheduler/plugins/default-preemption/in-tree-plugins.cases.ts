// DefaultPreemption over the real in-tree Filters (TaintToleration, NodeResourcesFit):
// the what-if goes through NodeResourcesFit's PreFilter state, and the failure message
// carries their exact reasons.
import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import type { Handle, PostFilterPlugin } from '../../framework/types.js';
import * as nodeResourcesFit from '../node-resources-fit/index.js';
import * as taintToleration from '../taint-toleration/index.js';
import { factory } from './index.js';
import { fakeCluster, makeNodeInfo } from './testing.js';

const noHandle = undefined as unknown as Handle; // neither Filter reads its handle

t.test('preemption with NodeResourcesFit and TaintToleration', async (t) => {
  const nodes = [
    makeNodeInfo({ name: 'n1', cpu: '4', pods: [{ name: 'a', priority: 1, cpu: '3' }, { name: 'b', priority: 2, cpu: '1' }] }),
    makeNodeInfo({ name: 'n2', cpu: '4', pods: [{ name: 'c', priority: 500, cpu: '3' }] }),
    makeNodeInfo({ name: 'n3', cpu: '4' }),
  ];
  nodes[2]!.node!.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  const plugins = [taintToleration.factory(undefined, noHandle), nodeResourcesFit.factory(undefined, noHandle)];
  const cluster = fakeCluster({ nodes, plugins });
  const plugin = factory({ randomInt: () => 0 }, cluster.handle) as PostFilterPlugin;

  const pod = (cpu: string): V1Pod => ({
    metadata: { name: 'p', namespace: 'default', uid: 'uid-p' },
    spec: { priority: 100, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] },
  });

  const fits = cluster.runFilters(pod('2'));
  t.same([...fits.filtered.values()].map((s) => s.reasons), [['Insufficient cpu'], ['Insufficient cpu'], ['node(s) had untolerated taint {dedicated: gpu}']]);
  const ok = await plugin.postFilter(fits.state, pod('2'), fits.filtered);
  t.same(ok, { status: { code: 'Success', reasons: [] }, result: { nominatedNodeName: 'n1' } });
  t.same(cluster.calls.filter((c) => c.verb === 'delete').map((c) => c.name), ['a'], 'the 3-cpu pod goes, the 1-cpu one is reprieved');

  const tooBig = cluster.runFilters(pod('8'));
  const no = await plugin.postFilter(tooBig.state, pod('8'), tooBig.filtered);
  t.same(no.status, {
    code: 'Unschedulable',
    reasons: ['preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'],
  });
});
