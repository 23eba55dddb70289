import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { NAME, NodeName, factory } from './index.js';

const pod = (nodeName?: string): V1Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } });

const cases = [
  { name: 'no host specified', pod: pod(), node: 'foo', code: 'Success', reasons: [] },
  { name: 'host matches', pod: pod('foo'), node: 'foo', code: 'Success', reasons: [] },
  { name: 'host does not match', pod: pod('bar'), node: 'foo', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const nodeInfo = new NodeInfo(c.node, { metadata: { name: c.node } });
    const p = factory(undefined, fakeHandle([nodeInfo])) as NodeName;
    t.equal(p.name, NAME);
    const s = p.filter(new CycleState(), c.pod, nodeInfo);
    t.equal(s.code, c.code);
    t.same(s.reasons, c.reasons);
  });
}

t.test('queueing hint: only the named node arriving', async (t) => {
  const [ev] = new NodeName().eventsToRegister();
  t.same(ev!.event, { resource: 'Node', action: 'Add' });
  t.equal(ev!.hint!(pod('foo'), undefined, { metadata: { name: 'foo' } }), 'Queue');
  t.equal(ev!.hint!(pod('foo'), undefined, { metadata: { name: 'bar' } }), 'Skip');
});
