/**
 * InterPodAffinity PreFilter/Filter, table-driven like kube's filtering_test.go: the
 * incoming pod, the nodes and the pods already on them, and the expected status code and
 * reason per node. Plus PreFilterExtensions (preemption's add/remove what-if) and args.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { newPodInfo } from '../../framework/node-info.js';
import type { Code } from '../../framework/status.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH as AFFINITY,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH as ANTI,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH as EXISTING,
} from './filtering.js';
import { factory, InterPodAffinity, NAME } from './index.js';
import { bareNode, fakeHandle, node, nodeInfos, pod, term } from './testing.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const OK = ['Success'] as const;
const unresolvable = (reason: string) => ['UnschedulableAndUnresolvable', reason] as const;
const unschedulable = (reason: string) => ['Unschedulable', reason] as const;

interface FilterCase {
  name: string;
  pod: V1Pod;
  nodes: V1Node[];
  pods?: V1Pod[];
  namespaces?: Record<string, Record<string, string>>;
  /** 'Skip' when PreFilter should skip; otherwise node name → [code, reason?] */
  want: 'Skip' | Record<string, readonly [Code, string?]>;
}

const zoned = () => [node('n1', { [ZONE]: 'a' }), node('n2', { [ZONE]: 'a' }), node('n3', { [ZONE]: 'b' })];

const cases: FilterCase[] = [
  {
    name: 'a pod without affinity, no existing anti-affinity: PreFilter skips',
    pod: pod({ labels: { app: 'web' } }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' })],
    want: 'Skip',
  },
  {
    name: 'anti-affinity one per node: the node with a replica is rejected',
    pod: pod({ labels: { app: 'web' }, antiAffinity: [term({ app: 'web' }, HOST)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: unschedulable(ANTI), n2: OK, n3: OK },
  },
  {
    name: 'anti-affinity per zone rejects every node of the zone',
    pod: pod({ labels: { app: 'web' }, antiAffinity: [term({ app: 'web' }, ZONE)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: unschedulable(ANTI), n2: unschedulable(ANTI), n3: OK },
  },
  {
    name: 'anti-affinity with a topology key the node lacks does not reject it',
    pod: pod({ antiAffinity: [term({ app: 'web' }, 'rack')] }),
    nodes: [node('n1', { rack: 'r1' }), node('n2')],
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' }), pod({ labels: { app: 'web' }, nodeName: 'n2' })],
    want: { n1: unschedulable(ANTI), n2: OK },
  },
  {
    name: 'affinity to a zone: nodes in the zone of a matching pod fit',
    pod: pod({ affinity: [term({ app: 'db' }, ZONE)] }),
    nodes: [...zoned(), node('n4')],
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: OK, n2: OK, n3: unresolvable(AFFINITY), n4: unresolvable(AFFINITY) },
  },
  {
    name: 'affinity: no matching pod anywhere and the pod does not match itself',
    pod: pod({ labels: { app: 'web' }, affinity: [term({ app: 'db' }, ZONE)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'cache' }, nodeName: 'n1' })],
    want: { n1: unresolvable(AFFINITY), n2: unresolvable(AFFINITY), n3: unresolvable(AFFINITY) },
  },
  {
    name: 'first pod of a group with self-affinity fits any node that has the topology key',
    pod: pod({ labels: { app: 'web' }, affinity: [term({ app: 'web' }, ZONE)] }),
    nodes: [...zoned(), node('n4')],
    want: { n1: OK, n2: OK, n3: OK, n4: unresolvable(AFFINITY) },
  },
  {
    name: 'self-affinity once a group member runs: only its zone',
    pod: pod({ labels: { app: 'web' }, affinity: [term({ app: 'web' }, ZONE)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n3' })],
    want: { n1: unresolvable(AFFINITY), n2: unresolvable(AFFINITY), n3: OK },
  },
  {
    name: 'affinity needs ONE pod matching all terms, not one pod per term',
    pod: pod({ affinity: [term({ app: 'db' }, ZONE), term({ tier: 'back' }, HOST)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' }), pod({ labels: { tier: 'back' }, nodeName: 'n1' })],
    want: { n1: unresolvable(AFFINITY), n2: unresolvable(AFFINITY), n3: unresolvable(AFFINITY) },
  },
  {
    name: 'affinity with two terms: each term’s domain must hold the matching pod',
    pod: pod({ affinity: [term({ app: 'db' }, ZONE), term({ tier: 'back' }, HOST)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'db', tier: 'back' }, nodeName: 'n1' })],
    want: { n1: OK, n2: unresolvable(AFFINITY), n3: unresolvable(AFFINITY) },
  },
  {
    name: "existing pod's anti-affinity rejects its whole zone",
    pod: pod({ labels: { app: 'web' } }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', antiAffinity: [term({ app: 'web' }, ZONE)] })],
    want: { n1: unschedulable(EXISTING), n2: unschedulable(EXISTING), n3: OK },
  },
  {
    name: "existing pod's anti-affinity on a node without the key counts nowhere",
    pod: pod({ labels: { app: 'web' } }),
    nodes: [node('n1'), node('n2', { rack: 'r1' })],
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', antiAffinity: [term({ app: 'web' }, 'rack')] })],
    want: 'Skip',
  },
  {
    name: "existing pod's anti-affinity to other labels does not reject",
    pod: pod({ labels: { app: 'web' } }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', antiAffinity: [term({ app: 'cache' }, ZONE)] })],
    want: 'Skip',
  },
  {
    name: 'affinity and anti-affinity together: in the db zone, never on the db node',
    pod: pod({ affinity: [term({ app: 'db' }, ZONE)], antiAffinity: [term({ app: 'db' }, HOST)] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: unschedulable(ANTI), n2: OK, n3: unresolvable(AFFINITY) },
  },
  {
    name: 'terms default to the pod namespace: a matching pod elsewhere does not count',
    pod: pod({ antiAffinity: [term({ app: 'web' }, HOST)] }),
    nodes: zoned(),
    pods: [pod({ namespace: 'other', labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: OK, n2: OK, n3: OK },
  },
  {
    name: 'namespaces lists the other namespace',
    pod: pod({ antiAffinity: [term({ app: 'web' }, HOST, { namespaces: ['other'] })] }),
    nodes: zoned(),
    pods: [pod({ namespace: 'other', labels: { app: 'web' }, nodeName: 'n1' }), pod({ labels: { app: 'web' }, nodeName: 'n2' })],
    want: { n1: unschedulable(ANTI), n2: OK, n3: OK },
  },
  {
    name: 'namespaceSelector selects namespaces by label',
    pod: pod({ antiAffinity: [term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'a' } } })] }),
    nodes: zoned(),
    namespaces: { default: {}, other: { team: 'a' }, third: { team: 'b' } },
    pods: [pod({ namespace: 'other', labels: { app: 'web' }, nodeName: 'n1' }), pod({ namespace: 'third', labels: { app: 'web' }, nodeName: 'n2' })],
    want: { n1: unschedulable(ANTI), n2: OK, n3: OK },
  },
  {
    name: 'an empty namespaceSelector selects every namespace',
    pod: pod({ antiAffinity: [term({ app: 'web' }, HOST, { namespaceSelector: {} })] }),
    nodes: zoned(),
    namespaces: { default: {}, other: { team: 'a' } },
    pods: [pod({ namespace: 'other', labels: { app: 'web' }, nodeName: 'n1' }), pod({ namespace: 'gone', labels: { app: 'web' }, nodeName: 'n2' })],
    want: { n1: unschedulable(ANTI), n2: unschedulable(ANTI), n3: OK },
  },
  {
    name: "existing pod's namespaceSelector is checked against the incoming pod's namespace",
    pod: pod({ namespace: 'other', labels: { app: 'web' } }),
    nodes: zoned(),
    namespaces: { default: {}, other: { team: 'a' } },
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n3', antiAffinity: [term({ app: 'web' }, ZONE, { namespaceSelector: { matchLabels: { team: 'a' } } })] })],
    want: { n1: OK, n2: OK, n3: unschedulable(EXISTING) },
  },
  {
    name: 'a null labelSelector matches no pod',
    pod: pod({ antiAffinity: [{ topologyKey: HOST }] }),
    nodes: zoned(),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: OK, n2: OK, n3: OK },
  },
  {
    name: 'matchExpressions: In / NotIn / Exists',
    pod: pod({
      antiAffinity: [
        { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, topologyKey: HOST },
        {
          labelSelector: {
            matchExpressions: [
              { key: 'tier', operator: 'Exists' },
              { key: 'tier', operator: 'NotIn', values: ['front'] },
            ],
          },
          topologyKey: HOST,
        },
      ],
    }),
    nodes: [node('n1'), node('n2'), node('n3'), node('n4')],
    pods: [
      pod({ labels: { app: 'b' }, nodeName: 'n1' }),
      pod({ labels: { app: 'c', tier: 'front' }, nodeName: 'n2' }),
      pod({ labels: { tier: 'back' }, nodeName: 'n3' }),
    ],
    want: { n1: unschedulable(ANTI), n2: OK, n3: unschedulable(ANTI), n4: OK },
  },
];

t.test('PreFilter + Filter', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const infos = nodeInfos(c.nodes, c.pods);
      const plugin = factory(undefined, fakeHandle(infos, c.namespaces)) as InterPodAffinity;
      const state = new CycleState();
      const pre = plugin.preFilter(state, c.pod);
      if (c.want === 'Skip') {
        t.equal(pre.status.code, 'Skip');
        return;
      }
      t.equal(pre.status.code, 'Success', 'PreFilter succeeds');
      const got: Record<string, readonly [Code, string?]> = {};
      for (const info of infos) {
        const s = plugin.filter(state, c.pod, info);
        got[info.name] = s.code === 'Success' ? ['Success'] : [s.code, s.reasons.join('; ')];
      }
      t.same(got, c.want);
    });
  }
});

t.test('Filter without PreFilter state or on a node without its Node is an Error', async (t) => {
  const infos = nodeInfos([node('n1')]);
  const plugin = factory({}, fakeHandle(infos)) as InterPodAffinity;
  const p = pod({ antiAffinity: [term({ app: 'web' }, HOST)] });
  t.equal(plugin.filter(new CycleState(), p, infos[0]!).code, 'Error');
  const state = new CycleState();
  plugin.preFilter(state, p);
  const { NodeInfo } = await import('../../framework/node-info.js');
  t.equal(plugin.filter(state, p, new NodeInfo('ghost')).code, 'Error');
});

t.test('a node without labels is in no domain', async (t) => {
  const infos = nodeInfos([bareNode('n1'), node('n2')], [pod({ labels: { app: 'web' }, nodeName: 'n2' })]);
  const plugin = factory(undefined, fakeHandle(infos)) as InterPodAffinity;
  const p = pod({ affinity: [term({ app: 'web' }, HOST)], antiAffinity: [term({ app: 'x' }, HOST)] });
  const state = new CycleState();
  plugin.preFilter(state, p);
  t.equal(plugin.filter(state, p, infos[0]!).code, 'UnschedulableAndUnresolvable');
  t.equal(plugin.filter(state, p, infos[1]!).code, 'Success');
});

t.test('PreFilterExtensions: removing and re-adding pods on a cloned state (preemption)', async (t) => {
  const victim = pod({ labels: { app: 'web' }, nodeName: 'n1' });
  const guard = pod({ labels: { app: 'db' }, nodeName: 'n2', antiAffinity: [term({ app: 'web' }, HOST)] });
  const partner = pod({ labels: { app: 'cache' }, nodeName: 'n3' });
  const infos = nodeInfos([node('n1'), node('n2'), node('n3')], [victim, guard, partner]);
  const plugin = factory(undefined, fakeHandle(infos)) as InterPodAffinity;
  const incoming = pod({ labels: { app: 'web' }, antiAffinity: [term({ app: 'web' }, HOST)], affinity: [term({ app: 'cache' }, 'kubernetes.io/hostname')] });
  const state = new CycleState();
  t.equal(plugin.preFilter(state, incoming).status.code, 'Success');
  const ext = plugin.preFilterExtensions();
  const [n1, n2, n3] = infos as [(typeof infos)[0], (typeof infos)[0], (typeof infos)[0]];

  // the incoming pod needs n3 (partner) and n1 is taken by a replica: only n3 fits
  t.equal(plugin.filter(state, incoming, n1).code, 'UnschedulableAndUnresolvable');
  t.equal(plugin.filter(state, incoming, n3).code, 'Success');

  // what if the guard on n2 were gone, and a partner were added on n2?
  const whatIf = state.clone();
  const n2Clone = n2.clone();
  const guardInfo = newPodInfo(guard);
  n2Clone.removePod(guardInfo.key);
  t.equal(ext.removePod(whatIf, incoming, guardInfo, n2Clone).code, 'Success');
  const newPartner = newPodInfo(pod({ labels: { app: 'cache' }, nodeName: 'n2' }));
  n2Clone.addPod(newPartner);
  t.equal(ext.addPod(whatIf, incoming, newPartner, n2Clone).code, 'Success');
  t.equal(plugin.filter(whatIf, incoming, n2Clone).code, 'Success', 'n2 fits in the what-if');
  t.same(
    [plugin.filter(state, incoming, n2).code, plugin.filter(state, incoming, n2).reasons],
    ['UnschedulableAndUnresolvable', [AFFINITY]],
    'the original state is untouched',
  );

  // adding a replica on n3 in another what-if makes n3 fail anti-affinity
  const whatIf2 = state.clone();
  const replica = newPodInfo(pod({ labels: { app: 'web' }, nodeName: 'n3' }));
  ext.addPod(whatIf2, incoming, replica, n3);
  t.same(plugin.filter(whatIf2, incoming, n3).reasons, [ANTI]);
  ext.removePod(whatIf2, incoming, replica, n3);
  t.equal(plugin.filter(whatIf2, incoming, n3).code, 'Success', 'counts go back down');

  // a plain web pod is rejected on n2 by the guard's anti-affinity until the guard is removed
  const plain = pod({ labels: { app: 'web' } });
  const s3 = new CycleState();
  plugin.preFilter(s3, plain);
  t.same(plugin.filter(s3, plain, n2).reasons, [EXISTING]);
  ext.removePod(s3, plain, guardInfo, n2);
  t.equal(plugin.filter(s3, plain, n2).code, 'Success');
});

t.test('PreFilterExtensions without state (PreFilter skipped) are a no-op', async (t) => {
  const infos = nodeInfos([node('n1')]);
  const plugin = factory(undefined, fakeHandle(infos)) as InterPodAffinity;
  const p = pod();
  const info = newPodInfo(pod({ nodeName: 'n1' }));
  t.equal(plugin.preFilterExtensions().addPod(new CycleState(), p, info, infos[0]!).code, 'Success');
  t.equal(plugin.preFilterExtensions().removePod(new CycleState(), p, info, infos[0]!).code, 'Success');
});

t.test('args: defaults and validation', async (t) => {
  const handle = fakeHandle([]);
  const plugin = factory(undefined, handle) as InterPodAffinity;
  t.equal(plugin.name, NAME);
  t.equal(NAME, 'InterPodAffinity');
  t.same(plugin.args, { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
  t.same((factory({ hardPodAffinityWeight: 0, ignorePreferredTermsOfExistingPods: true }, handle) as InterPodAffinity).args, {
    hardPodAffinityWeight: 0,
    ignorePreferredTermsOfExistingPods: true,
  });
  for (const bad of [{ hardPodAffinityWeight: 101 }, { hardPodAffinityWeight: -1 }, { hardPodAffinityWeight: 1.5 }, { hardPodAffinityWeight: '2' }]) {
    t.throws(() => factory(bad, handle), /hardPodAffinityWeight: Invalid value: .*not in valid range \[0, 100\]/);
  }
  t.throws(() => factory({ ignorePreferredTermsOfExistingPods: 'yes' }, handle), /ignorePreferredTermsOfExistingPods/);
  t.throws(() => factory('x', handle), /expected an object/);
});
