/**
 * InterPodAffinity PreScore/Score/NormalizeScore, table-driven like kube's scoring_test.go:
 * the incoming pod, the nodes and their pods, the args, and the expected raw and
 * normalized score per node (or Skip when nothing can contribute).
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/types.js';
import { factory, type InterPodAffinity } from './index.js';
import { normalizeScores } from './scoring.js';
import { bareNode, fakeHandle, node, nodeInfos, pod, term, weighted } from './testing.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

interface ScoreCase {
  name: string;
  pod: V1Pod;
  nodes?: V1Node[];
  pods?: V1Pod[];
  args?: Record<string, unknown>;
  namespaces?: Record<string, Record<string, string>>;
  /** 'Skip', or node name → [raw, normalized] */
  want: 'Skip' | Record<string, [number, number]>;
}

const zoned = () => [node('n1', { [ZONE]: 'a' }), node('n2', { [ZONE]: 'a' }), node('n3', { [ZONE]: 'b' })];

const cases: ScoreCase[] = [
  {
    name: 'no terms on the pod or on existing pods: Skip',
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: 'Skip',
  },
  {
    name: 'preferred affinity to a zone',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, ZONE))] }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: [5, 100], n2: [5, 100], n3: [0, 0] },
  },
  {
    name: 'preferred affinity counts every matching pod',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, ZONE))] }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' }), pod({ labels: { app: 'db' }, nodeName: 'n3' }), pod({ labels: { app: 'db' }, nodeName: 'n3' })],
    want: { n1: [5, 0], n2: [5, 0], n3: [10, 100] },
  },
  {
    name: 'preferred anti-affinity per host',
    pod: pod({ preferredAntiAffinity: [weighted(5, term({ app: 'web' }, HOST))] }),
    pods: [pod({ labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: [-5, 0], n2: [0, 100], n3: [0, 100] },
  },
  {
    name: 'preferred affinity and anti-affinity together',
    pod: pod({
      preferredAffinity: [weighted(8, term({ app: 'db' }, ZONE))],
      preferredAntiAffinity: [weighted(3, term({ app: 'web' }, HOST))],
    }),
    pods: [
      pod({ labels: { app: 'db' }, nodeName: 'n1' }),
      pod({ labels: { app: 'web' }, nodeName: 'n2' }),
      pod({ labels: { app: 'web' }, nodeName: 'n3' }),
    ],
    want: { n1: [8, 100], n2: [5, 72], n3: [-3, 0] },
  },
  {
    name: "existing pod's required affinity, hardPodAffinityWeight 1 by default",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', affinity: [term({ app: 'web' }, HOST)] })],
    want: { n1: [1, 100], n2: [0, 0], n3: [0, 0] },
  },
  {
    name: "existing pod's required affinity with hardPodAffinityWeight 10",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', affinity: [term({ app: 'web' }, ZONE)] })],
    args: { hardPodAffinityWeight: 10 },
    want: { n1: [10, 100], n2: [10, 100], n3: [0, 0] },
  },
  {
    name: "hardPodAffinityWeight 0 ignores existing pods' required affinity",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', affinity: [term({ app: 'web' }, HOST)] })],
    args: { hardPodAffinityWeight: 0 },
    want: 'Skip',
  },
  {
    name: "existing pod's required anti-affinity is not a preference",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', antiAffinity: [term({ app: 'web' }, HOST)] })],
    want: 'Skip',
  },
  {
    name: "existing pod's preferred affinity to the incoming pod",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n3', preferredAffinity: [weighted(4, term({ app: 'web' }, ZONE))] })],
    want: { n1: [0, 0], n2: [0, 0], n3: [4, 100] },
  },
  {
    name: "existing pod's preferred anti-affinity to the incoming pod",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1', preferredAntiAffinity: [weighted(4, term({ app: 'web' }, ZONE))] })],
    want: { n1: [-4, 0], n2: [-4, 0], n3: [0, 100] },
  },
  {
    name: "ignorePreferredTermsOfExistingPods: a pod without preferred terms skips",
    pod: pod({ labels: { app: 'web' } }),
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n3', preferredAffinity: [weighted(4, term({ app: 'web' }, ZONE))] })],
    args: { ignorePreferredTermsOfExistingPods: true },
    want: 'Skip',
  },
  {
    name: "ignorePreferredTermsOfExistingPods: with terms of its own, existing pods' terms still count",
    pod: pod({ labels: { app: 'web' }, preferredAffinity: [weighted(2, term({ app: 'db' }, HOST))] }),
    pods: [
      pod({ labels: { app: 'db' }, nodeName: 'n1' }),
      pod({ labels: { app: 'cache' }, nodeName: 'n2', preferredAffinity: [weighted(3, term({ app: 'web' }, HOST))] }),
    ],
    args: { ignorePreferredTermsOfExistingPods: true },
    want: { n1: [2, 66], n2: [3, 100], n3: [0, 0] },
  },
  {
    name: 'a matching pod in another namespace does not count by default',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, ZONE))] }),
    pods: [pod({ namespace: 'other', labels: { app: 'db' }, nodeName: 'n1' })],
    want: 'Skip',
  },
  {
    name: 'namespaceSelector brings in the other namespace',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, ZONE, { namespaceSelector: { matchLabels: { env: 'prod' } } }))] }),
    pods: [pod({ namespace: 'other', labels: { app: 'db' }, nodeName: 'n3' })],
    namespaces: { default: {}, other: { env: 'prod' } },
    want: { n1: [0, 0], n2: [0, 0], n3: [5, 100] },
  },
  {
    name: 'pods on a node without labels are in no domain',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, HOST))] }),
    nodes: [bareNode('n1'), node('n2')],
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: 'Skip',
  },
  {
    name: 'equal scores everywhere normalize to 0',
    pod: pod({ preferredAffinity: [weighted(5, term({ app: 'db' }, 'region'))] }),
    nodes: [node('n1', { region: 'r' }), node('n2', { region: 'r' })],
    pods: [pod({ labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: [5, 0], n2: [5, 0] },
  },
];

t.test('PreScore + Score + NormalizeScore', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const infos = nodeInfos(c.nodes ?? zoned(), c.pods);
      const plugin = factory(c.args, fakeHandle(infos, c.namespaces)) as InterPodAffinity;
      const state = new CycleState();
      const pre = plugin.preScore(state, c.pod, infos);
      if (c.want === 'Skip') {
        t.equal(pre.code, 'Skip');
        return;
      }
      t.equal(pre.code, 'Success', 'PreScore succeeds');
      const scores: NodeScore[] = infos.map((info) => {
        const out = plugin.score(state, c.pod, info);
        t.equal(out.status, undefined);
        return { name: info.name, score: out.score };
      });
      const raw = Object.fromEntries(scores.map((s) => [s.name, s.score]));
      t.equal(plugin.normalizeScore(state, c.pod, scores).code, 'Success');
      const got = Object.fromEntries(scores.map((s) => [s.name, [raw[s.name], s.score]]));
      t.same(got, c.want);
    });
  }
});

t.test('PreScore with no nodes skips; Score and NormalizeScore without state are Errors', async (t) => {
  const infos = nodeInfos(zoned());
  const plugin = factory(undefined, fakeHandle(infos)) as InterPodAffinity;
  const p = pod({ preferredAffinity: [weighted(1, term({ app: 'db' }, ZONE))] });
  t.equal(plugin.preScore(new CycleState(), p, []).code, 'Skip');
  t.equal(plugin.score(new CycleState(), p, infos[0]!).status?.code, 'Error');
  t.equal(plugin.normalizeScore(new CycleState(), p, []).code, 'Error');
});

t.test('normalizeScores: (score-min)/(max-min)*100, truncated as kube does', async (t) => {
  const table: Array<[number[], number[]]> = [
    [[0, 29, 50], [0, 57, 100]],
    [[-10, 0, 10], [0, 50, 100]],
    [[1, 2, 3], [0, 50, 100]],
    [[7, 7], [0, 0]],
    [[], []],
  ];
  for (const [input, want] of table) {
    const scores = input.map((score, i) => ({ name: `n${i}`, score }));
    normalizeScores(scores);
    t.same(
      scores.map((s) => s.score),
      want,
      `${input.join(',')}`,
    );
  }
});
