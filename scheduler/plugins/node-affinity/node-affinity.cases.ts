import t from 'tap';
import type { V1Affinity, V1Node, V1NodeAffinity, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import type { NodeScore } from '../../framework/types.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { NodeAffinity, factory } from './index.js';

const POD_REASON = "node(s) didn't match Pod's node affinity/selector";
const pod = (spec: { nodeSelector?: Record<string, string>; affinity?: V1Affinity } = {}): V1Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });
const required = (...terms: NonNullable<V1NodeAffinity['requiredDuringSchedulingIgnoredDuringExecution']>['nodeSelectorTerms']): V1Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const node = (name: string, labels: Record<string, string> = {}): V1Node => ({ metadata: { name, labels } });

t.test('PreFilter + Filter', async (t) => {
  const cases: {
    name: string;
    pod: V1Pod;
    node: V1Node;
    args?: unknown;
    preFilter?: { code: string; nodeNames?: string[]; reasons?: string[] };
    code: string;
    reasons?: string[];
  }[] = [
    { name: 'no constraints: Skip', pod: pod(), node: node('n'), preFilter: { code: 'Skip' }, code: 'Success' },
    { name: 'nodeSelector missing label', pod: pod({ nodeSelector: { foo: 'bar' } }), node: node('n'), code: 'UnschedulableAndUnresolvable', reasons: [POD_REASON] },
    { name: 'nodeSelector matches', pod: pod({ nodeSelector: { foo: 'bar' } }), node: node('n', { foo: 'bar' }), code: 'Success' },
    {
      name: 'required In matches',
      pod: pod({ affinity: required({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['value1', 'value2'] }] }) }),
      node: node('n', { foo: 'value2' }),
      code: 'Success',
    },
    {
      name: 'required Gt does not match',
      pod: pod({ affinity: required({ matchExpressions: [{ key: 'kernel-version', operator: 'Gt', values: ['0204'] }] }) }),
      node: node('n', { 'kernel-version': '0200' }),
      code: 'UnschedulableAndUnresolvable',
      reasons: [POD_REASON],
    },
    {
      name: 'nodeSelector and affinity both needed',
      pod: pod({ nodeSelector: { foo: 'bar' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }),
      node: node('n', { zone: 'a' }),
      code: 'UnschedulableAndUnresolvable',
      reasons: [POD_REASON],
    },
    {
      name: 'empty term list matches nothing',
      pod: pod({ affinity: required() }),
      node: node('n', { foo: 'bar' }),
      code: 'UnschedulableAndUnresolvable',
      reasons: [POD_REASON],
    },
    {
      name: 'matchFields name pins the node',
      pod: pod({ affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) }),
      node: node('n1'),
      preFilter: { code: 'Success', nodeNames: ['n1'] },
      code: 'Success',
    },
    {
      name: 'matchFields name elsewhere',
      pod: pod({ affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) }),
      node: node('n2'),
      preFilter: { code: 'Success', nodeNames: ['n1'] },
      code: 'UnschedulableAndUnresolvable',
      reasons: [POD_REASON],
    },
    {
      name: 'names from ORed terms are united',
      pod: pod({
        affinity: required(
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
        ),
      }),
      node: node('n2'),
      preFilter: { code: 'Success', nodeNames: ['n1', 'n2'] },
      code: 'Success',
    },
    {
      name: 'a term without names leaves every node possible',
      pod: pod({
        affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }),
      }),
      node: node('n2', { foo: '' }),
      preFilter: { code: 'Success' },
      code: 'Success',
    },
    {
      name: 'contradictory names inside a term',
      pod: pod({
        affinity: required({
          matchFields: [
            { key: 'metadata.name', operator: 'In', values: ['n1'] },
            { key: 'metadata.name', operator: 'In', values: ['n2'] },
          ],
        }),
      }),
      node: node('n1'),
      preFilter: { code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] },
      code: 'UnschedulableAndUnresolvable',
      reasons: [POD_REASON],
    },
    {
      name: 'addedAffinity enforced',
      pod: pod(),
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['foo'] }] }] } } },
      node: node('n', { zone: 'bar' }),
      preFilter: { code: 'Success' },
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't match scheduler-enforced node affinity"],
    },
    {
      name: 'addedAffinity and pod affinity both hold',
      pod: pod({ nodeSelector: { x: '1' } }),
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['foo'] }] }] } } },
      node: node('n', { zone: 'foo', x: '1' }),
      code: 'Success',
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const info = new NodeInfo(c.node.metadata!.name!, c.node);
      const p = factory(c.args, fakeHandle([info])) as NodeAffinity;
      const state = new CycleState();
      const pre = p.preFilter(state, c.pod);
      if (c.preFilter) {
        t.equal(pre.status.code, c.preFilter.code, 'prefilter code');
        if (c.preFilter.reasons) t.same(pre.status.reasons, c.preFilter.reasons);
        t.same(pre.result?.nodeNames ? [...pre.result.nodeNames].sort() : undefined, c.preFilter.nodeNames, 'prefilter node names');
      }
      const s = p.filter(state, c.pod, info);
      t.equal(s.code, c.code);
      t.same(s.reasons, c.reasons ?? []);
      // Filter without PreFilter (disabled in a profile) gives the same answer
      t.equal(p.filter(new CycleState(), c.pod, info).code, c.code, 'without PreFilter');
    });
  }
});

t.test('Score', async (t) => {
  const preferred = (...terms: [number, Record<string, string>][]): V1Affinity => ({
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, labels]) => ({
        weight,
        preference: { matchExpressions: Object.entries(labels).map(([key, v]) => ({ key, operator: 'In', values: [v] })) },
      })),
    },
  });
  const nodes = [node('n1', { foo: 'bar' }), node('n2', { key: 'value' }), node('n3', { foo: 'bar', key: 'value', az: 'az1' })];
  const cases: { name: string; pod: V1Pod; args?: unknown; preScore: string; want: number[] }[] = [
    { name: 'no preferences: Skip', pod: pod(), preScore: 'Skip', want: [0, 0, 0] },
    { name: 'one term', pod: pod({ affinity: preferred([2, { foo: 'bar' }]) }), preScore: 'Success', want: [100, 0, 100] },
    {
      name: 'weights add up and scale',
      pod: pod({ affinity: preferred([2, { foo: 'bar' }], [4, { key: 'value' }], [5, { foo: 'bar', key: 'value', az: 'az1' }]) }),
      preScore: 'Success',
      want: [18, 36, 100],
    },
    {
      name: 'addedAffinity preferences count',
      pod: pod(),
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'az', operator: 'Exists' }] } }] } },
      preScore: 'Success',
      want: [0, 0, 100],
    },
    {
      name: 'pod and added preferences together',
      pod: pod({ affinity: preferred([10, { key: 'value' }]) }),
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'az', operator: 'Exists' }] } }] } },
      preScore: 'Success',
      want: [0, 50, 100],
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const infos = nodes.map((n) => new NodeInfo(n.metadata!.name!, n));
      const p = factory(c.args, fakeHandle(infos)) as NodeAffinity;
      const state = new CycleState();
      t.equal(p.preScore(state, c.pod, infos).code, c.preScore);
      const scores: NodeScore[] = infos.map((info) => ({ name: info.name, score: p.score(state, c.pod, info).score }));
      p.normalizeScore(state, c.pod, scores);
      t.same(
        scores.map((s) => s.score),
        c.want,
      );
    });
  }
});

t.test('bad args are reported clearly', async (t) => {
  t.throws(() => factory('nope', fakeHandle([])), /NodeAffinity args: expected an object/);
  t.throws(
    () => factory({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }, fakeHandle([])),
    /must have at least one node selector term/,
  );
  t.throws(() => factory({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }, fakeHandle([])), /weight/);
});

t.test('queueing hints', async (t) => {
  const [add, update] = new NodeAffinity({}).eventsToRegister();
  const p = pod({ nodeSelector: { foo: 'bar' } });
  t.equal(add!.hint!(p, undefined, node('n', { foo: 'bar' })), 'Queue');
  t.equal(add!.hint!(p, undefined, node('n')), 'Skip');
  t.equal(update!.hint!(p, node('n'), node('n', { foo: 'bar' })), 'Queue', 'label added');
  t.equal(update!.hint!(p, node('n', { foo: 'bar' }), node('n', { foo: 'bar', x: '1' })), 'Skip', 'matched already');
});
