import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { isPodUpdated } from './pod-updated.js';

const base: V1Pod = {
  metadata: { name: 'p', namespace: 'd', resourceVersion: '1', labels: { a: '1' } },
  spec: { containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Pending' },
};

t.test('only scheduling-relevant changes count', async (t) => {
  const cases: { name: string; change: (p: V1Pod) => void; want: boolean }[] = [
    { name: 'nothing', change: () => {}, want: false },
    { name: 'resourceVersion', change: (p) => (p.metadata!.resourceVersion = '2'), want: false },
    { name: 'status condition', change: (p) => (p.status!.conditions = [{ type: 'PodScheduled', status: 'False' }]), want: false },
    { name: 'finalizers', change: (p) => (p.metadata!.finalizers = ['x']), want: false },
    { name: 'labels', change: (p) => (p.metadata!.labels = { a: '2' }), want: true },
    { name: 'spec', change: (p) => (p.spec!.nodeSelector = { zone: 'z' }), want: true },
    { name: 'annotations', change: (p) => (p.metadata!.annotations = { x: 'y' }), want: true },
  ];
  for (const c of cases) {
    const next = structuredClone(base);
    c.change(next);
    t.equal(isPodUpdated(base, next), c.want, c.name);
  }
  t.equal(isPodUpdated(undefined, base), true, 'no old pod');
});
