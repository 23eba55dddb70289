import t from 'tap';
import { ApiError } from '../errors/api-error.js';
import {
  compileLabelSelector,
  formatLabelSelector,
  formatRequirements,
  labelSelectorMatcher,
  parseLabelSelector,
  validateLabelSelector,
  type LabelSelector,
} from './label-selector.js';

const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

t.test('parses kube selector syntax into sorted requirements', async (t) => {
  const cases: Array<[string, string]> = [
    // input, kube's String() of the result
    ['', ''],
    ['   ', ''],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['x = a', 'x=a'],
    ['x=', 'x='],
    ['x=,y=b', 'x=,y=b'],
    ['x', 'x'],
    ['!x', '!x'],
    [' ! x ', '!x'],
    ['x in (a,b)', 'x in (a,b)'],
    ['x in (b,a,a)', 'x in (a,b)'],
    ['x notin (a)', 'x notin (a)'],
    ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in(a)', 'x in (a)'],
    ['in in (in)', 'in in (in)'],
    ['notin notin (notin)', 'notin notin (notin)'],
    ['x>1', 'x>1'],
    ['x<5', 'x<5'],
    ['z=c,a=b,m', 'a=b,m,z=c'],
    ['example.com/app=web', 'example.com/app=web'],
    ['x\t=\ta', 'x=a'],
    ['x=a,x=b', 'x=a,x=b'],
  ];
  for (const [input, want] of cases) t.equal(formatRequirements(parseLabelSelector(input)), want, JSON.stringify(input));
  t.same(parseLabelSelector(undefined), []);
});

t.test('invalid selectors are BadRequest with kube wording', async (t) => {
  const cases: Array<[string, string]> = [
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x<-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_REGEX}`],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x=(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['x,,y', "found ',', expected: identifier after ','"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['a:', `unable to parse requirement: <nil>: Invalid value: "a:": ${NAME_PART_REGEX}`],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_PART_REGEX}`],
    [
      'Example.com/x',
      "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
    ['/x', 'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty'],
    [`${'k'.repeat(64)}`, `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`],
    ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${LABEL_VALUE_REGEX}`],
    [`x=${'v'.repeat(64)}`, `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
    ['x in (a,-b)', `unable to parse requirement: values[0][x]: Invalid value: "-b": ${LABEL_VALUE_REGEX}`],
    ['x>a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x<99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
  ];
  for (const [input, message] of cases) {
    try {
      parseLabelSelector(input);
      t.fail(`${JSON.stringify(input)} parsed`);
    } catch (err) {
      t.ok(err instanceof ApiError, input);
      t.equal((err as ApiError).reason, 'BadRequest', input);
      t.equal((err as ApiError).code, 400, input);
      t.equal((err as ApiError).message, message, JSON.stringify(input));
    }
  }
});

t.test('matches labels as kube does', async (t) => {
  const cases: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['', undefined, true],
    ['', { a: 'b' }, true],
    ['x=a', { x: 'a' }, true],
    ['x=a', { x: 'b' }, false],
    ['x=a', {}, false],
    ['x=a', undefined, false],
    ['x==a', { x: 'a' }, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x!=a', { x: 'b' }, true],
    ['x!=a', { x: 'a' }, false],
    ['x!=a', {}, true],
    ['x!=a', undefined, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x notin (a,b)', {}, true],
    ['x in ()', { x: '' }, true],
    ['x', { x: '' }, true],
    ['x', { y: 'a' }, false],
    ['!x', { y: 'a' }, true],
    ['!x', { x: 'a' }, false],
    ['!x', undefined, true],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'two' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '-5' }, true],
    ['x<1', { x: '+0' }, true],
    ['x=a,y=b', { x: 'a', y: 'b' }, true],
    ['x=a,y=b', { x: 'a' }, false],
    ['x=a,x=b', { x: 'a' }, false],
    ['constructor', {}, false],
    ['!toString', {}, true],
  ];
  for (const [selector, labels, want] of cases) t.equal(compileLabelSelector(selector)(labels), want, `${selector} on ${JSON.stringify(labels)}`);
});

t.test('metav1 LabelSelector → matcher', async (t) => {
  const cases: Array<[LabelSelector | null | undefined, Record<string, string> | undefined, boolean]> = [
    [null, { a: 'b' }, false],
    [undefined, {}, false],
    [{}, { a: 'b' }, true],
    [{}, undefined, true],
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, { app: 'web', tier: 'b' }, true],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, { app: 'web' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: '' }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: null }] }, { tier: '' }, false],
  ];
  for (const [selector, labels, want] of cases) t.equal(labelSelectorMatcher(selector)(labels), want, `${JSON.stringify(selector)} on ${JSON.stringify(labels)}`);
});

t.test('an invalid metav1 LabelSelector throws BadRequest with kube wording', async (t) => {
  const cases: Array<[LabelSelector, string]> = [
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist'],
    [{ matchLabels: { '-a': 'b' } }, `key: Invalid value: "-a": ${NAME_PART_REGEX}`],
    [{ matchLabels: { a: '-b' } }, `values[0][a]: Invalid value: "-b": ${LABEL_VALUE_REGEX}`],
    [{ matchLabels: { '-a': '-b' } }, `[key: Invalid value: "-a": ${NAME_PART_REGEX}, values[0][-a]: Invalid value: "-b": ${LABEL_VALUE_REGEX}]`],
  ];
  for (const [selector, message] of cases) {
    t.throws(() => labelSelectorMatcher(selector), { reason: 'BadRequest', message }, JSON.stringify(selector));
  }
});

t.test('validateLabelSelector gives kube field errors', async (t) => {
  t.same(validateLabelSelector(null, 'spec.selector'), []);
  t.same(validateLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'In', values: ['a'] }] }, 'spec.selector'), []);
  const errs = validateLabelSelector(
    {
      matchLabels: { '-bad': 'ok', good: '-bad' },
      matchExpressions: [
        { key: 'x', operator: 'In' },
        { key: 'y', operator: 'Exists', values: ['v'] },
        { key: 'z', operator: 'Gt', values: ['1'] },
        { key: 'w', operator: 'NotIn', values: ['ok', '-v'] },
        { key: 'a/b/c', operator: 'Exists' },
      ],
    },
    'spec.selector',
  );
  t.same(
    errs.map((e) => `${e.field}: ${e.message}`),
    [
      `spec.selector.matchLabels: Invalid value: "-bad": ${NAME_PART_REGEX}`,
      `spec.selector.matchLabels: Invalid value: "-bad": ${LABEL_VALUE_REGEX}`,
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].values[1]: Invalid value: "-v": ${LABEL_VALUE_REGEX}`,
      "spec.selector.matchExpressions[4].key: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  );
  t.same(
    errs.map((e) => e.type),
    ['FieldValueInvalid', 'FieldValueInvalid', 'FieldValueRequired', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueInvalid', 'FieldValueInvalid'],
  );
});

t.test('formatLabelSelector prints kube String() form', async (t) => {
  t.equal(formatLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] }), 'a=1,b=2,c notin (x,y),!d');
  t.equal(formatLabelSelector({}), '');
  t.equal(formatLabelSelector(null), '');
});
