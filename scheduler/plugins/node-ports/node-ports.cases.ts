import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo, newPodInfo } from '../../framework/node-info.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { NodePorts, factory } from './index.js';

const REASON = "node(s) didn't have free ports for the requested pod ports";

/** ports as "proto/ip/port" strings, as kube's newPod test helper writes them */
let n = 0;
function pod(...ports: string[]): V1Pod {
  return {
    metadata: { name: `p${n++}`, namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'c',
          ports: ports.map((s) => {
            const [protocol, hostIP, port] = s.split('/');
            return { containerPort: Number(port), hostPort: Number(port), protocol, ...(hostIP ? { hostIP } : {}) };
          }),
        },
      ],
    },
  };
}

const cases: { name: string; pod: V1Pod; existing: V1Pod[]; preFilter: string; code: string }[] = [
  { name: 'no host ports: Skip', pod: pod(), existing: [], preFilter: 'Skip', code: 'Success' },
  { name: 'other port', pod: pod('UDP/127.0.0.1/8080'), existing: [pod('UDP/127.0.0.1/9090')], preFilter: 'Success', code: 'Success' },
  { name: 'same port, same ip', pod: pod('UDP/127.0.0.1/8080'), existing: [pod('UDP/127.0.0.1/8080')], preFilter: 'Success', code: 'Unschedulable' },
  { name: 'same port, other protocol', pod: pod('TCP/127.0.0.1/8080'), existing: [pod('UDP/127.0.0.1/8080')], preFilter: 'Success', code: 'Success' },
  { name: 'same port, other ip', pod: pod('TCP/127.0.0.1/8001'), existing: [pod('TCP/127.0.0.2/8001')], preFilter: 'Success', code: 'Success' },
  { name: 'wanted 0.0.0.0 clashes with a specific ip', pod: pod('TCP/0.0.0.0/8001'), existing: [pod('TCP/127.0.0.1/8001')], preFilter: 'Success', code: 'Unschedulable' },
  { name: 'used 0.0.0.0 clashes with a specific ip', pod: pod('TCP/127.0.0.1/8001'), existing: [pod('TCP/0.0.0.0/8001')], preFilter: 'Success', code: 'Unschedulable' },
  { name: 'empty ip means 0.0.0.0', pod: pod('TCP//8001'), existing: [pod('TCP/10.0.0.1/8001')], preFilter: 'Success', code: 'Unschedulable' },
  {
    name: 'second of several ports clashes',
    pod: pod('UDP/127.0.0.1/8001', 'TCP/127.0.0.1/8002'),
    existing: [pod('TCP/127.0.0.1/8002')],
    preFilter: 'Success',
    code: 'Unschedulable',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const info = new NodeInfo('n', { metadata: { name: 'n' } });
    for (const e of c.existing) info.addPod(newPodInfo(e));
    const p = factory(undefined, fakeHandle([info])) as NodePorts;
    const state = new CycleState();
    t.equal(p.preFilter(state, c.pod).status.code, c.preFilter);
    if (c.preFilter === 'Skip') return;
    const s = p.filter(state, c.pod, info);
    t.equal(s.code, c.code);
    t.same(s.reasons, c.code === 'Success' ? [] : [REASON]);
    t.equal(p.filter(new CycleState(), c.pod, info).code, c.code, 'without PreFilter');
  });
}

t.test('sidecar host ports count', async (t) => {
  const sidecar: V1Pod = {
    metadata: { name: 's', namespace: 'default' },
    spec: { initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ containerPort: 80, hostPort: 80 }] }], containers: [{ name: 'c' }] },
  };
  const info = new NodeInfo('n', { metadata: { name: 'n' } });
  info.addPod(newPodInfo(pod('TCP/0.0.0.0/80')));
  const p = new NodePorts();
  const state = new CycleState();
  t.equal(p.preFilter(state, sidecar).status.code, 'Success');
  t.equal(p.filter(state, sidecar, info).code, 'Unschedulable');
});

t.test('queueing hint: a deleted pod that held the port', async (t) => {
  const [deleted] = new NodePorts().eventsToRegister();
  t.same(deleted!.event, { resource: 'AssignedPod', action: 'Delete' });
  t.equal(deleted!.hint!(pod('TCP/0.0.0.0/80'), pod('TCP/10.0.0.1/80'), undefined), 'Queue');
  t.equal(deleted!.hint!(pod('TCP/0.0.0.0/80'), pod('TCP/10.0.0.1/81'), undefined), 'Skip');
});
