// splitByPdbViolation: which victims would break a PodDisruptionBudget (kube's
// filterPodsWithPDBViolation cases), table-driven.
import type { V1LabelSelector, V1PodDisruptionBudget } from '@kubernetes/client-node';
import t from 'tap';
import { newPodInfo } from '../../framework/node-info.js';
import { splitByPdbViolation } from './pdb-violation.js';
import { makePod, type PodSpec } from './testing.js';

const pdb = (over: { name?: string; namespace?: string; selector?: V1LabelSelector; allowed: number; disrupted?: string[] }): V1PodDisruptionBudget => ({
  metadata: { name: over.name ?? 'pdb', namespace: over.namespace ?? 'default' },
  spec: over.selector === undefined ? {} : { selector: over.selector },
  status: {
    disruptionsAllowed: over.allowed,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
    ...(over.disrupted ? { disruptedPods: Object.fromEntries(over.disrupted.map((n) => [n, new Date(0)])) } : {}),
  },
});

const web = { app: 'web' };
const table: Array<{ name: string; victims: PodSpec[]; pdbs: V1PodDisruptionBudget[]; violating: string[] }> = [
  { name: 'no PDBs', victims: [{ name: 'a', labels: web }], pdbs: [], violating: [] },
  { name: 'budget 1 covers the first victim only', victims: [{ name: 'a', labels: web }, { name: 'b', labels: web }, { name: 'c', labels: web }], pdbs: [pdb({ selector: { matchLabels: web }, allowed: 1 })], violating: ['b', 'c'] },
  { name: 'budget 0: every selected victim violates', victims: [{ name: 'a', labels: web }, { name: 'b', labels: { app: 'db' } }], pdbs: [pdb({ selector: { matchLabels: web }, allowed: 0 })], violating: ['a'] },
  { name: 'another namespace does not count', victims: [{ name: 'a', labels: web, namespace: 'other' }], pdbs: [pdb({ selector: { matchLabels: web }, allowed: 0 })], violating: [] },
  { name: 'an empty selector selects nothing', victims: [{ name: 'a', labels: web }], pdbs: [pdb({ selector: {}, allowed: 0 })], violating: [] },
  { name: 'a missing selector selects nothing', victims: [{ name: 'a', labels: web }], pdbs: [pdb({ allowed: 0 })], violating: [] },
  { name: 'a pod without labels matches no PDB', victims: [{ name: 'a' }], pdbs: [pdb({ selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, allowed: 0 })], violating: [] },
  { name: 'a pod already in disruptedPods spends nothing', victims: [{ name: 'a', labels: web }, { name: 'b', labels: web }], pdbs: [pdb({ selector: { matchLabels: web }, allowed: 1, disrupted: ['a'] })], violating: [] },
  {
    name: 'each PDB counts separately; any exhausted one makes a violation',
    victims: [{ name: 'a', labels: { app: 'web', tier: 'x' } }, { name: 'b', labels: { tier: 'x' } }],
    pdbs: [pdb({ name: 'p1', selector: { matchLabels: web }, allowed: 1 }), pdb({ name: 'p2', selector: { matchLabels: { tier: 'x' } }, allowed: 1 })],
    violating: ['b'],
  },
  { name: 'matchExpressions select too', victims: [{ name: 'a', labels: web }], pdbs: [pdb({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, allowed: 0 })], violating: ['a'] },
];

t.test('splitByPdbViolation', async (t) => {
  for (const c of table) {
    const infos = c.victims.map((v) => newPodInfo(makePod(v)));
    const { violating, nonViolating } = splitByPdbViolation(infos, c.pdbs);
    t.same(violating.map((i) => i.pod.metadata?.name), c.violating, c.name);
    t.same(
      nonViolating.map((i) => i.pod.metadata?.name),
      c.victims.map((v) => v.name).filter((n) => !c.violating.includes(n)),
      `${c.name}: the rest keep their order`,
    );
  }
});
