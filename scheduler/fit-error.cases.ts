import t from 'tap';
import { fitErrorMessage, reasonHistogram, rejectingPlugins } from './fit-error.js';
import type { Status } from './framework/status.js';

const st = (plugin: string, code: Status['code'], ...reasons: string[]): Status => ({ code, reasons, plugin });

t.test('the message reads like kube-scheduler FitError', async (t) => {
  const cases: Array<{ name: string; statuses: Array<[string, Status]>; total: number; post?: string; want: string }> = [
    {
      name: 'taint and cpu with preemption',
      total: 3,
      statuses: [
        ['cp', st('TaintToleration', 'UnschedulableAndUnresolvable', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
        ['a', st('NodeResourcesFit', 'Unschedulable', 'Insufficient cpu')],
        ['b', st('NodeResourcesFit', 'Unschedulable', 'Insufficient cpu')],
      ],
      post: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'several reasons on one node each count',
      total: 2,
      statuses: [
        ['a', st('NodeResourcesFit', 'Unschedulable', 'Insufficient cpu', 'Insufficient memory')],
        ['b', st('NodeResourcesFit', 'Unschedulable', 'Insufficient memory')],
      ],
      want: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    },
    {
      name: 'sorted as strings, like kube (10 before 2)',
      total: 12,
      statuses: [
        ...Array.from({ length: 10 }, (_, i) => [`x${i}`, st('NodeName', 'UnschedulableAndUnresolvable', "node(s) didn't match the requested node name")] as [string, Status]),
        ['y', st('NodeUnschedulable', 'UnschedulableAndUnresolvable', 'node(s) were unschedulable')],
        ['z', st('NodeUnschedulable', 'UnschedulableAndUnresolvable', 'node(s) were unschedulable')],
      ],
      want: "0/12 nodes are available: 10 node(s) didn't match the requested node name, 2 node(s) were unschedulable.",
    },
  ];
  for (const c of cases) t.equal(fitErrorMessage(c.total, new Map(c.statuses), c.post), c.want, c.name);
});

t.test('histogram and rejecting plugins', async (t) => {
  const m = new Map<string, Status>([
    ['a', st('NodeResourcesFit', 'Unschedulable', 'Too many pods')],
    ['b', st('TaintToleration', 'UnschedulableAndUnresolvable', 'x')],
    ['c', st('Broken', 'Error', 'boom')],
  ]);
  t.same(reasonHistogram(m.values()), ['1 Too many pods', '1 boom', '1 x']);
  t.same([...rejectingPlugins(m)].sort(), ['NodeResourcesFit', 'TaintToleration']);
});
