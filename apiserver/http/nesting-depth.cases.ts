import t from 'tap';
import { jsonTextTooDeep, valueTooDeep } from './nesting-depth.js';

const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

t.test('JSON text depth', async (t) => {
  const cases: Array<[string, string, number, boolean]> = [
    ['flat', '{"a":1}', 3, false],
    ['at the limit', nested(3), 3, false],
    ['over the limit', nested(4), 3, true],
    ['brackets inside strings do not count', '{"a":"[[[[[[[["}', 3, false],
    ['escaped quotes keep the string open', '{"a":"\\"[[[[[["}', 3, false],
    ['objects and arrays mix', '{"a":[{"b":[1]}]}', 3, true],
  ];
  for (const [name, text, max, want] of cases) t.equal(jsonTextTooDeep(text, max), want, name);
  t.equal(jsonTextTooDeep(nested(10_001)), true, 'kube limit');
  t.equal(jsonTextTooDeep(nested(10_000)), false);
});

t.test('parsed value depth', async (t) => {
  t.equal(valueTooDeep({ a: { b: {} } }, 3), false);
  t.equal(valueTooDeep({ a: { b: { c: {} } } }, 3), true);
  t.equal(valueTooDeep([[['x']]], 3), false);
  t.equal(valueTooDeep('scalar', 0), false);
  t.equal(valueTooDeep(JSON.parse(nested(20_000))), true, 'no stack overflow');
});
