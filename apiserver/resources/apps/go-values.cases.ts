import t from 'tap';
import { goIntOrString, goLabelSelector, goStringMap } from './go-values.js';
import { intOrPercentValue, notMoreThan100Percent, validateIntOrPercent } from './int-or-percent.js';

t.test('Go %#v renderings', async (t) => {
  t.equal(goStringMap(undefined), 'map[string]string(nil)');
  t.equal(goStringMap({}), 'map[string]string{}');
  t.equal(goStringMap({ tier: 'fe', app: 'web' }), 'map[string]string{"app":"web", "tier":"fe"}', 'keys sorted as fmt sorts them');
  t.equal(
    goLabelSelector({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }),
    'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"env", Operator:"Exists", Values:[]string(nil)}}}',
  );
  t.equal(goIntOrString(3), 'intstr.IntOrString{Type:0, IntVal:3, StrVal:""}');
  t.equal(goIntOrString('5%'), 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"5%"}');
});

t.test('int or percent', async (t) => {
  const values: Array<[unknown, number]> = [
    [5, 5],
    ['25%', 25],
    ['7', 7],
    ['abc', 0],
    [undefined, 0],
  ];
  for (const [v, want] of values) t.equal(intOrPercentValue(v), want, String(v));
  t.same(validateIntOrPercent('100%', 'f'), []);
  t.equal(validateIntOrPercent('7', 'f').length, 1, 'a bare numeric string is not a percent');
  t.same(notMoreThan100Percent(150, 'f'), [], 'integers are not percentages');
});
