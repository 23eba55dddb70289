import t from 'tap';
import type { V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import type { NodeScore } from '../../framework/types.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { TaintToleration, factory } from './index.js';

const pod = (tolerations: V1Toleration[] = []): V1Pod => ({ metadata: { name: 'p', uid: 'u1' }, spec: { containers: [], tolerations } });
const node = (name: string, taints: V1Taint[] = []): V1Node => ({ metadata: { name }, spec: { taints } });

t.test('Filter', async (t) => {
  const cases: { name: string; pod: V1Pod; taints: V1Taint[]; code: string; reasons: string[] }[] = [
    { name: 'no taints', pod: pod(), taints: [], code: 'Success', reasons: [] },
    {
      name: 'untolerated NoSchedule taint',
      pod: pod(),
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: user1}'],
    },
    {
      name: 'tolerated by Equal',
      pod: pod([{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      code: 'Success',
      reasons: [],
    },
    {
      name: 'value mismatch',
      pod: pod([{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: user1}'],
    },
    {
      name: 'tolerated by Exists',
      pod: pod([{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]),
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      code: 'Success',
      reasons: [],
    },
    {
      name: 'PreferNoSchedule is not filtered',
      pod: pod(),
      taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }],
      code: 'Success',
      reasons: [],
    },
    {
      name: 'NoExecute without value',
      pod: pod([{ key: 'other', operator: 'Exists' }]),
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' }],
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    },
    {
      name: 'names the first untolerated taint',
      pod: pod([{ key: 'a', operator: 'Exists' }]),
      taints: [
        { key: 'a', value: '1', effect: 'NoSchedule' },
        { key: 'b', value: '2', effect: 'NoSchedule' },
        { key: 'c', value: '3', effect: 'NoExecute' },
      ],
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {b: 2}'],
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const nodeInfo = new NodeInfo('n', node('n', c.taints));
      const s = new TaintToleration().filter(new CycleState(), c.pod, nodeInfo);
      t.equal(s.code, c.code);
      t.same(s.reasons, c.reasons);
    });
  }
});

t.test('Score', async (t) => {
  const cases: { name: string; pod: V1Pod; nodes: V1Node[]; want: number[] }[] = [
    {
      name: 'tolerating more PreferNoSchedule taints scores higher',
      pod: pod([{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodes: [
        node('n1', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]),
        node('n2', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]),
      ],
      want: [100, 0],
    },
    {
      name: 'fewer intolerable taints score higher',
      pod: pod(),
      nodes: [
        node('n1'),
        node('n2', [{ key: 'a', value: '1', effect: 'PreferNoSchedule' }]),
        node('n3', [
          { key: 'a', value: '1', effect: 'PreferNoSchedule' },
          { key: 'b', value: '2', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: [100, 50, 0],
    },
    {
      name: 'only PreferNoSchedule taints count',
      pod: pod(),
      nodes: [node('n1', [{ key: 'a', value: '1', effect: 'NoSchedule' }]), node('n2', [{ key: 'a', value: '1', effect: 'PreferNoSchedule' }])],
      want: [100, 0],
    },
    {
      name: 'a NoSchedule toleration does not help scoring',
      pod: pod([{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }]),
      nodes: [node('n1', [{ key: 'a', value: '1', effect: 'PreferNoSchedule' }]), node('n2')],
      want: [0, 100],
    },
    {
      name: 'an empty-effect toleration helps scoring',
      pod: pod([{ key: 'a', operator: 'Exists' }]),
      nodes: [node('n1', [{ key: 'a', value: '1', effect: 'PreferNoSchedule' }]), node('n2')],
      want: [100, 100],
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const infos = c.nodes.map((n) => new NodeInfo(n.metadata!.name!, n));
      const p = factory(undefined, fakeHandle(infos)) as TaintToleration;
      const state = new CycleState();
      t.equal(p.preScore(state, c.pod).code, 'Success');
      const scores: NodeScore[] = infos.map((info) => ({ name: info.name, score: p.score(state, c.pod, info).score }));
      t.equal(p.normalizeScore(state, c.pod, scores).code, 'Success');
      t.same(
        scores.map((s) => s.score),
        c.want,
      );
    });
  }
});

t.test('Score without PreScore is an error', async (t) => {
  const r = new TaintToleration().score(new CycleState(), pod(), new NodeInfo('n', node('n')));
  t.equal(r.status?.code, 'Error');
});

t.test('queueing hints', async (t) => {
  const events = new TaintToleration().eventsToRegister();
  const nodeUpdate = events.find((e) => e.event.resource === 'Node' && e.event.action === 'Update')!;
  const podUpdate = events.find((e) => e.event.resource === 'UnscheduledPod')!;
  const tainted = node('n', [{ key: 'a', value: '1', effect: 'NoSchedule' }]);
  t.equal(nodeUpdate.hint!(pod(), tainted, node('n')), 'Queue', 'taint removed');
  t.equal(nodeUpdate.hint!(pod(), node('n'), node('n')), 'Skip', 'was already fine');
  t.equal(nodeUpdate.hint!(pod(), node('n'), tainted), 'Skip', 'taint added');
  t.equal(podUpdate.hint!(pod(), pod(), pod()), 'Queue');
  t.equal(podUpdate.hint!(pod(), undefined, { metadata: { uid: 'other' } }), 'Skip');
});
