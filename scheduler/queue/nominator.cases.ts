import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { newPodInfo } from '../framework/node-info.js';
import { Nominator } from './nominator.js';

const pod = (name: string, nominated?: string, nodeName?: string): V1Pod => ({
  metadata: { name, namespace: 'd' },
  spec: { containers: [], ...(nodeName ? { nodeName } : {}) },
  status: nominated ? { nominatedNodeName: nominated } : {},
});
const names = (n: Nominator, node: string) => n.nominatedPodsForNode(node).map((p) => p.pod.metadata!.name);

t.test('nominations from status and overrides', async (t) => {
  const n = new Nominator();
  n.addNominatedPod(newPodInfo(pod('a', 'n1')));
  n.addNominatedPod(newPodInfo(pod('b')), 'n1');
  n.addNominatedPod(newPodInfo(pod('c')));
  n.addNominatedPod(newPodInfo(pod('bound', 'n1', 'n2')));
  t.same(names(n, 'n1'), ['a', 'b'], 'status and override; no nomination for c; bound pod ignored');
  t.same(names(n, 'n2'), []);

  n.addNominatedPod(newPodInfo(pod('a', 'n1')), 'n2');
  t.same(names(n, 'n1'), ['b'], 're-nominating moves the pod');
  t.same(names(n, 'n2'), ['a']);
  t.equal(n.nominatedNodeOf('d/a'), 'n2');

  n.addNominatedPod(newPodInfo(pod('a')), '');
  t.same(names(n, 'n2'), [], "'' clears the nomination");

  n.deleteNominatedPodIfExists(pod('b'));
  t.same(names(n, 'n1'), []);
  n.deleteNominatedPodIfExists(pod('never'));
});

t.test('update keeps an in-memory nomination the status has not caught up with', async (t) => {
  const cases: { name: string; oldNom?: string; newNom?: string; want: Record<string, string[]> }[] = [
    { name: 'neither has one: keep n1', want: { n1: ['p'], n2: [] } },
    { name: 'new status says n2', newNom: 'n2', want: { n1: [], n2: ['p'] } },
    { name: 'status removed it', oldNom: 'n1', want: { n1: [], n2: [] } },
  ];
  for (const c of cases) {
    const n = new Nominator();
    n.addNominatedPod(newPodInfo(pod('p')), 'n1');
    n.updateNominatedPod(pod('p', c.oldNom), newPodInfo(pod('p', c.newNom)));
    for (const [node, want] of Object.entries(c.want)) t.same(names(n, node), want, `${c.name}: ${node}`);
  }
});
