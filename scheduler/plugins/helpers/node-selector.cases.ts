import t from 'tap';
import type { V1Node, V1NodeSelectorTerm, V1PreferredSchedulingTerm } from '@kubernetes/client-node';
import { matchNodeSelectorMap, matchNodeSelectorTerm, matchNodeSelectorTerms, preferredSchedulingTermsScore, requiredNodeAffinityMatcher } from './node-selector.js';

const node = (name: string, labels: Record<string, string> = {}): V1Node => ({ metadata: { name, labels } });

const cases: { name: string; terms: V1NodeSelectorTerm[]; node: V1Node; want: boolean }[] = [
  { name: 'no terms match nothing', terms: [], node: node('n1'), want: false },
  { name: 'an empty term matches nothing', terms: [{}], node: node('n1'), want: false },
  { name: 'In', terms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }], node: node('n1', { zone: 'b' }), want: true },
  { name: 'In miss', terms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }], node: node('n1', { zone: 'b' }), want: false },
  { name: 'NotIn absent', terms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }], node: node('n1'), want: true },
  { name: 'Exists', terms: [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }], node: node('n1', { gpu: '' }), want: true },
  { name: 'DoesNotExist', terms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }], node: node('n1', { gpu: '' }), want: false },
  { name: 'Gt', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }], node: node('n1', { cores: '8' }), want: true },
  { name: 'Gt equal fails', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }], node: node('n1', { cores: '8' }), want: false },
  { name: 'Lt', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }], node: node('n1', { cores: '2' }), want: true },
  { name: 'Gt non-integer label', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }], node: node('n1', { cores: 'many' }), want: false },
  { name: 'Gt invalid value: term ignored', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['x'] }] }], node: node('n1', { cores: '9' }), want: false },
  { name: 'Gt absent', terms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1'] }] }], node: node('n1'), want: false },
  { name: 'matchFields name In', terms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }], node: node('n1'), want: true },
  { name: 'matchFields name NotIn', terms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }], node: node('n1'), want: false },
  { name: 'matchFields other field ignored', terms: [{ matchFields: [{ key: 'spec.x', operator: 'In', values: ['n1'] }] }], node: node('n1'), want: false },
  {
    name: 'expressions ANDed in a term',
    terms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }],
    node: node('n1', { a: '1' }),
    want: false,
  },
  {
    name: 'expressions and fields ANDed',
    terms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
    node: node('n1', { a: '1' }),
    want: false,
  },
  {
    name: 'terms ORed',
    terms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { matchExpressions: [{ key: 'b', operator: 'Exists' }] }],
    node: node('n1', { b: '1' }),
    want: true,
  },
  {
    name: 'an invalid term does not spoil the others',
    terms: [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, { matchExpressions: [{ key: 'b', operator: 'Exists' }] }],
    node: node('n1', { b: '1' }),
    want: true,
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(matchNodeSelectorTerms(c.terms, c.node), c.want);
    if (c.terms.length === 1) t.equal(matchNodeSelectorTerm(c.terms[0]!, c.node), c.want, 'single term agrees');
  });
}

t.test('preferred terms sum the weights of the matching terms', async (t) => {
  const terms: V1PreferredSchedulingTerm[] = [
    { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    { weight: 3, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } },
    { weight: 7, preference: {} },
    { weight: 0, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } },
  ];
  t.equal(preferredSchedulingTermsScore(terms, node('n', { zone: 'a', ssd: '' })), 8);
  t.equal(preferredSchedulingTermsScore(terms, node('n', { zone: 'b', ssd: '' })), 3);
  t.equal(preferredSchedulingTermsScore(terms, node('n')), 0);
  t.equal(preferredSchedulingTermsScore(undefined, node('n')), 0);
});

t.test('nodeSelector map', async (t) => {
  t.equal(matchNodeSelectorMap(undefined, node('n')), true);
  t.equal(matchNodeSelectorMap({}, node('n')), true);
  t.equal(matchNodeSelectorMap({ a: '1' }, node('n', { a: '1', b: '2' })), true);
  t.equal(matchNodeSelectorMap({ a: '1' }, node('n', { a: '2' })), false);
  t.equal(matchNodeSelectorMap({ a: '1' }, node('n')), false);
});

t.test('required node affinity of a pod: nodeSelector AND terms', async (t) => {
  const m = requiredNodeAffinityMatcher({
    spec: {
      containers: [],
      nodeSelector: { disk: 'ssd' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    },
  });
  t.equal(m(node('n', { disk: 'ssd', zone: 'a' })), true);
  t.equal(m(node('n', { disk: 'ssd', zone: 'b' })), false);
  t.equal(m(node('n', { zone: 'a' })), false);
  t.equal(requiredNodeAffinityMatcher({ spec: { containers: [] } })(node('n')), true, 'no constraints: every node');
});
