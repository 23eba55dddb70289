// pickOneNodeForPreemption's tie-break order, one row per rule (kube's
// TestPickOneNodeForPreemption in spirit), plus the candidate count and the message.
import t from 'tap';
import { unresolvable, unschedulable } from '../../framework/status.js';
import { DEFAULT_ARGS, numCandidates } from './args.js';
import { preemptionFailureMessage, preemptionNodeStatuses } from './failure-message.js';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.js';
import { byImportance } from './pod-importance.js';
import { makePod, type PodSpec } from './testing.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const candidate = (nodeName: string, victims: PodSpec[], numPdbViolations = 0): Candidate => ({
  nodeName,
  victims: victims.map(makePod).sort(byImportance(NOW)),
  numPdbViolations,
});

const table: Array<{ name: string; candidates: Candidate[]; want: string | undefined }> = [
  { name: 'no candidates', candidates: [], want: undefined },
  { name: 'one candidate', candidates: [candidate('n1', [{ name: 'a', priority: 1 }])], want: 'n1' },
  {
    name: 'fewest PDB violations first, whatever the priorities',
    candidates: [candidate('n1', [{ name: 'a', priority: 1 }], 1), candidate('n2', [{ name: 'b', priority: 90 }, { name: 'c', priority: 90 }], 0)],
    want: 'n2',
  },
  {
    name: 'then the lowest priority of the most important victim',
    candidates: [candidate('n1', [{ name: 'a', priority: 10 }]), candidate('n2', [{ name: 'b', priority: 5 }, { name: 'c', priority: 5 }, { name: 'd', priority: 5 }])],
    want: 'n2',
  },
  {
    name: 'then the smallest sum of priorities',
    candidates: [candidate('n1', [{ name: 'a', priority: 10 }, { name: 'b', priority: 9 }]), candidate('n2', [{ name: 'c', priority: 10 }, { name: 'd', priority: 1 }])],
    want: 'n2',
  },
  {
    name: 'the sum shifts priorities by 2^31: two victims of -10 cost more than one',
    candidates: [candidate('n1', [{ name: 'a', priority: -10 }, { name: 'b', priority: -10 }]), candidate('n2', [{ name: 'c', priority: -10 }])],
    want: 'n2',
  },
  {
    name: 'then the fewest victims (equal sums need the shift to differ only by count: zero-priority pods)',
    candidates: [candidate('n1', [{ name: 'a', priority: 0 }, { name: 'b', priority: 0 }]), candidate('n2', [{ name: 'c', priority: 0 }])],
    want: 'n2',
  },
  {
    name: 'then the latest earliest start among the highest-priority victims',
    candidates: [
      candidate('n1', [{ name: 'a', priority: 5, start: '2025-01-01T00:00:00Z' }, { name: 'b', priority: 1, start: '2025-12-01T00:00:00Z' }]),
      candidate('n2', [{ name: 'c', priority: 5, start: '2025-06-01T00:00:00Z' }, { name: 'd', priority: 1, start: '2020-01-01T00:00:00Z' }]),
    ],
    want: 'n2',
  },
  {
    name: 'a victim that has not started counts as starting now (the latest)',
    candidates: [candidate('n1', [{ name: 'a', priority: 5, start: '2025-06-01T00:00:00Z' }]), candidate('n2', [{ name: 'b', priority: 5 }])],
    want: 'n2',
  },
  {
    name: 'a full tie: the first candidate',
    candidates: [candidate('n1', [{ name: 'a', priority: 5, start: '2025-06-01T00:00:00Z' }]), candidate('n2', [{ name: 'b', priority: 5, start: '2025-06-01T00:00:00Z' }])],
    want: 'n1',
  },
];

t.test('pickOneNodeForPreemption', async (t) => {
  for (const c of table) t.equal(pickOneNodeForPreemption(c.candidates, NOW)?.nodeName, c.want, c.name);
});

t.test('numCandidates: max(percentage, absolute), at most the nodes', async (t) => {
  const rows: Array<[pct: number, abs: number, nodes: number, want: number]> = [
    [10, 100, 50, 50],
    [10, 100, 5000, 500],
    [10, 100, 1500, 150],
    [40, 0, 10, 4],
    [0, 3, 10, 3],
  ];
  t.equal(numCandidates(DEFAULT_ARGS, 50), 50);
  for (const [pct, abs, nodes, want] of rows)
    t.equal(numCandidates({ minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs }, nodes), want, `${pct}% / ${abs} of ${nodes}`);
});

t.test('the failure message counts reasons like kube, absent nodes "not helpful"', async (t) => {
  const checked = new Map([
    ['n2', unresolvable('No preemption victims found for incoming pod')],
    ['n3', unresolvable('No preemption victims found for incoming pod')],
  ]);
  const all = preemptionNodeStatuses(['n1', 'n2', 'n3'], checked);
  t.equal(preemptionFailureMessage(3, all), 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  const mixed = preemptionNodeStatuses(['a', 'b'], new Map([['a', unschedulable('Insufficient cpu', 'Insufficient memory')]]));
  t.equal(preemptionFailureMessage(2, mixed), 'preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Preemption is not helpful for scheduling.');
});
