/**
 * InterPodAffinity's events and queueing hints: which assigned-pod and node changes
 * requeue a pod the plugin rejected.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { factory, type InterPodAffinity } from './index.js';
import { nodeChangeHint, podChangeHint } from './queueing-hints.js';
import { fakeHandle, node, pod, term } from './testing.js';

const HOST = 'kubernetes.io/hostname';
const noNamespaces = () => undefined;

t.test('eventsToRegister: assigned pods and nodes, each with a hint', async (t) => {
  const plugin = factory(undefined, fakeHandle([])) as InterPodAffinity;
  const events = plugin.eventsToRegister();
  t.same(
    events.map((e) => `${e.event.resource}/${e.event.action}`),
    ['AssignedPod/Add', 'AssignedPod/Update', 'AssignedPod/Delete', 'Node/Add', 'Node/Update'],
  );
  t.ok(events.every((e) => typeof e.hint === 'function'));
});

t.test('pod change hints', async (t) => {
  const wantsDb = pod({ affinity: [term({ app: 'db' }, HOST)], antiAffinity: [term({ app: 'web' }, HOST)] });
  const plain = pod({ labels: { app: 'web' } });
  const db = pod({ labels: { app: 'db' }, nodeName: 'n1' });
  const web = pod({ labels: { app: 'web' }, nodeName: 'n1' });
  const cache = pod({ labels: { app: 'cache' }, nodeName: 'n1' });
  const guard = pod({ labels: { app: 'x' }, nodeName: 'n1', antiAffinity: [term({ app: 'web' }, HOST)] });
  const unassignedDb = pod({ labels: { app: 'db' } });
  const relabel = (p: V1Pod, labels: Record<string, string>): V1Pod => ({ ...p, metadata: { ...p.metadata, labels } });

  const table: Array<[string, V1Pod, unknown, unknown, 'Queue' | 'Skip']> = [
    ['add of a pod matching the affinity', wantsDb, undefined, db, 'Queue'],
    ['add of an unrelated pod', wantsDb, undefined, cache, 'Skip'],
    ['add of an unassigned pod', wantsDb, undefined, unassignedDb, 'Skip'],
    ['update that starts matching the affinity', wantsDb, cache, relabel(cache, { app: 'db' }), 'Queue'],
    ['update that stops matching the anti-affinity', wantsDb, web, relabel(web, { app: 'other' }), 'Queue'],
    ['update that changes nothing relevant', wantsDb, web, relabel(web, { app: 'web', v: '2' }), 'Skip'],
    ['delete of a pod matching the anti-affinity', wantsDb, web, undefined, 'Queue'],
    ['delete of a pod matching only the affinity', wantsDb, db, undefined, 'Skip'],
    ['delete of a pod with required anti-affinity', plain, guard, undefined, 'Queue'],
    ['delete of a plain pod', plain, cache, undefined, 'Skip'],
  ];
  const hint = podChangeHint(noNamespaces);
  for (const [name, target, oldObj, newObj, want] of table) t.equal(hint(target, oldObj, newObj), want, name);
});

t.test('node change hints', async (t) => {
  const target = pod({ affinity: [term({ app: 'db' }, HOST)] });
  const withLabels = (labels: Record<string, string>): V1Node => node('n1', labels);
  const table: Array<[string, unknown, unknown, 'Queue' | 'Skip']> = [
    ['node added', undefined, withLabels({}), 'Queue'],
    ['label added', withLabels({}), withLabels({ zone: 'a' }), 'Queue'],
    ['label changed', withLabels({ zone: 'a' }), withLabels({ zone: 'b' }), 'Queue'],
    ['label removed', withLabels({ zone: 'a' }), withLabels({}), 'Queue'],
    ['labels unchanged', withLabels({ zone: 'a' }), withLabels({ zone: 'a' }), 'Skip'],
    ['node deleted', withLabels({}), undefined, 'Skip'],
  ];
  for (const [name, oldObj, newObj, want] of table) t.equal(nodeChangeHint(target, oldObj, newObj), want, name);
});
