import t from 'tap';
import type { Decision } from './decision.js';
import { DecisionLog } from './decision-log.js';
import { topScores } from './decision-table.js';

const decision = (pod: string): Decision => ({
  pod,
  uid: pod,
  profile: 'default-scheduler',
  time: '',
  attempt: 1,
  outcome: 'Scheduled',
  totalNodes: 1,
  evaluatedNodes: 1,
  feasibleNodes: 1,
  top: [],
  table: () => [],
});

t.test('bounded: the oldest pods are forgotten, old tables dropped first', async (t) => {
  const log = new DecisionLog(3, 2);
  for (const p of ['ns/a', 'ns/b', 'ns/c', 'ns/d']) log.record(decision(p));
  t.equal(log.get('ns', 'a'), undefined, 'the oldest is gone');
  t.same(log.recent().map((d) => d.pod), ['ns/d', 'ns/c', 'ns/b'], 'newest first');
  t.notOk(log.get('ns', 'b')?.table, 'an old decision keeps its summary but not its table');
  t.ok(log.get('ns', 'd')?.table);
  log.record(decision('ns/b'));
  t.same(log.recent(1).map((d) => d.pod), ['ns/b'], 'a re-recorded pod is the newest');
  t.ok(log.get('ns', 'b')?.table);
  log.forget('ns', 'b');
  t.equal(log.get('ns', 'b'), undefined);
});

t.test('top scores without sorting everything', async (t) => {
  const totals = [5, 90, 40, 90, 70, 10].map((score, i) => ({ name: `n${i}`, score }));
  t.same(topScores({ totals, byPlugin: new Map() }, 3), [
    { node: 'n1', total: 90 },
    { node: 'n3', total: 90 },
    { node: 'n4', total: 70 },
  ]);
  t.same(topScores(undefined), []);
});
