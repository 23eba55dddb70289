import t from 'tap';
import { expandVars, mappingFor } from './expand-vars.js';

t.test('$(VAR) expansion follows kube expansion rules', async (t) => {
  const env = new Map([
    ['VAR_A', 'A'],
    ['VAR_B', 'B'],
    ['VAR_C', 'C'],
    ['VAR_REF', '$(VAR_A)'],
    ['VAR_EMPTY', ''],
  ]);
  const service = { SVC: 'from-service', VAR_A: 'shadowed' };
  const mapping = mappingFor(env, service);
  const cases: Array<[string, string, string]> = [
    ['whole string', '$(VAR_A)', 'A'],
    ['in the middle', '___$(VAR_B)___', '___B___'],
    ['twice', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['adjacent', '$(VAR_A)$(VAR_B)$(VAR_C)', 'ABC'],
    ['escaped', '$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['escaped unknown', '$$(VAR_DNE)', '$(VAR_DNE)'],
    ['unknown stays', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['many escapes', '$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['escape then var', '$$$(VAR_A)', '$A'],
    ['unterminated', '$(VAR_A', '$(VAR_A'],
    ['unterminated after a good one', '$(VAR_A)$(VAR_B', 'A$(VAR_B'],
    ['no parens', '$VAR_A', '$VAR_A'],
    ['dollar at end', 'foo$', 'foo$'],
    ['lone dollar', '$', '$'],
    ['empty input', '', ''],
    ['empty name', '$()', '$()'],
    ['empty value', 'x$(VAR_EMPTY)y', 'xy'],
    ['value not re-expanded', '$(VAR_REF)', '$(VAR_A)'],
    ['second map consulted', '$(SVC)', 'from-service'],
    ['first map wins', '$(VAR_A)', 'A'],
    ['nested parens end at first )', '$(VAR_A(x))', '$(VAR_A(x))'],
    ['dollar before other chars', 'a$b$$c', 'a$b$c'],
  ];
  for (const [name, input, want] of cases) t.equal(expandVars(input, mapping), want, name);
});
