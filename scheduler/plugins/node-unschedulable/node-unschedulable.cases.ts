import t from 'tap';
import type { V1Node, V1Pod, V1Toleration } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { NodeUnschedulable, factory } from './index.js';

const pod = (tolerations?: V1Toleration[]): V1Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });
const node = (unschedulable?: boolean): V1Node => ({ metadata: { name: 'n' }, spec: unschedulable === undefined ? {} : { unschedulable } });

const cases: { name: string; pod: V1Pod; node?: V1Node; code: string; reasons: string[] }[] = [
  { name: 'schedulable node', pod: pod(), node: node(), code: 'Success', reasons: [] },
  { name: 'unschedulable false', pod: pod(), node: node(false), code: 'Success', reasons: [] },
  { name: 'unschedulable node', pod: pod(), node: node(true), code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] },
  {
    name: 'tolerates the unschedulable taint',
    pod: pod([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }]),
    node: node(true),
    code: 'Success',
    reasons: [],
  },
  { name: 'tolerates everything', pod: pod([{ operator: 'Exists' }]), node: node(true), code: 'Success', reasons: [] },
  {
    name: 'toleration with the wrong effect',
    pod: pod([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }]),
    node: node(true),
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) were unschedulable'],
  },
  { name: 'no node object', pod: pod(), code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had unknown conditions'] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const nodeInfo = new NodeInfo('n', c.node);
    const s = (factory(undefined, fakeHandle([nodeInfo])) as NodeUnschedulable).filter(new CycleState(), c.pod, nodeInfo);
    t.equal(s.code, c.code);
    t.same(s.reasons, c.reasons);
  });
}

t.test('queueing hints: a node becoming schedulable', async (t) => {
  const events = new NodeUnschedulable().eventsToRegister();
  const update = events.find((e) => e.event.action === 'Update')!;
  const add = events.find((e) => e.event.action === 'Add')!;
  t.equal(add.hint!(pod(), undefined, node()), 'Queue');
  t.equal(add.hint!(pod(), undefined, node(true)), 'Skip');
  t.equal(update.hint!(pod(), node(true), node(false)), 'Queue');
  t.equal(update.hint!(pod(), node(false), node(false)), 'Skip');
  t.equal(update.hint!(pod(), node(false), node(true)), 'Skip');
});

t.test('queueing hint: the pod gained the toleration', async (t) => {
  const ev = new NodeUnschedulable().eventsToRegister().find((e) => e.event.resource === 'UnscheduledPod')!;
  const before: V1Pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [] } };
  const after: V1Pod = { ...before, spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }] } };
  t.equal(ev.hint!(before, before, after), 'Queue');
  t.equal(ev.hint!(before, before, before), 'Skip');
  t.equal(ev.hint!(before, undefined, { ...after, metadata: { uid: 'other' } }), 'Skip');
});
