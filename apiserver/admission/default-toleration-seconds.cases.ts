/**
 * DefaultTolerationSeconds: which pod specs get which default tolerations (kube's
 * admission_test.go cases, in table form), and that the pod strategy applies it.
 */
import type { V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import t from 'tap';
import { pods } from '../resources/core/pods.js';
import { create } from '../resources/core/strategy-harness.js';
import { admitDefaultTolerationSeconds } from './default-toleration-seconds.js';

const notReady: V1Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable: V1Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

const cases: Array<{ name: string; tolerations: V1Toleration[] | undefined; want: V1Toleration[] }> = [
  { name: 'no tolerations: both defaults', tolerations: undefined, want: [notReady, unreachable] },
  { name: 'an empty list: both defaults', tolerations: [], want: [notReady, unreachable] },
  {
    name: 'unrelated tolerations are kept, defaults appended',
    tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }],
    want: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, notReady, unreachable],
  },
  {
    name: 'a not-ready toleration of its own keeps its seconds; only unreachable is added',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, unreachable],
  },
  {
    name: 'an unreachable toleration without seconds (forever) is kept; only not-ready is added',
    tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
    want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, notReady],
  },
  {
    name: 'both tolerated already: untouched',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
    ],
    want: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
    ],
  },
  { name: 'empty key + Exists tolerates everything', tolerations: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
  {
    name: 'empty key + Exists but effect NoSchedule tolerates neither',
    tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
    want: [{ operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable],
  },
  {
    name: 'empty key, effect NoExecute tolerates both',
    tolerations: [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
    want: [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
  },
  {
    name: 'a not-ready key with no effect counts (all effects)',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }],
    want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, unreachable],
  },
  {
    name: 'a not-ready key with effect NoSchedule does not count',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
    want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable],
  },
  {
    name: "kube ignores the operator: an Equal toleration of the key counts",
    tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'x', effect: 'NoExecute' }],
    want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'x', effect: 'NoExecute' }, notReady],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const spec = { containers: [], ...(c.tolerations ? { tolerations: structuredClone(c.tolerations) } : {}) } as V1PodSpec;
    admitDefaultTolerationSeconds(spec);
    t.same(spec.tolerations, c.want);
    admitDefaultTolerationSeconds(spec);
    t.same(spec.tolerations, c.want, 'admitting again changes nothing');
  });
}

t.test('tolerations that are not a list are left for validation', async (t) => {
  const spec = { containers: [], tolerations: 'all' } as unknown as V1PodSpec;
  admitDefaultTolerationSeconds(spec);
  t.equal(spec.tolerations as unknown, 'all');
});

t.test('the pod strategy admits creates with the defaults', async (t) => {
  const { obj, errors } = create(pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }] },
  });
  t.same(errors, []);
  t.same((obj.spec as V1PodSpec).tolerations, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }, notReady]);
});
