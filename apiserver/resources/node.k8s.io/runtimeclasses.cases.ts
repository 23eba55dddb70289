import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { runtimeclasses } from './runtimeclasses.js';

const rc = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'gvisor', creationTimestamp: minutesAgo(7) }, handler: 'runsc', ...extra });
const labelMsg = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;

t.test('definition', async (t) => {
  t.match(runtimeclasses, { group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: false, modelName: 'V1RuntimeClass' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { overhead: { podFixed: { cpu: '250m', memory: '120Mi' } }, scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] } }, []],
    ['no handler', { handler: '' }, [`handler: Invalid value: "": ${labelMsg}`]],
    ['bad handler', { handler: 'run_sc' }, [`handler: Invalid value: "run_sc": ${labelMsg}`]],
    ['negative overhead', { overhead: { podFixed: { cpu: '-1' } } }, ['overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['unknown resource', { overhead: { podFixed: { gpu: '1' } } }, ['overhead.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers']],
    [
      'bad node selector',
      { scheduling: { nodeSelector: { a: 'b c' } } },
      [
        `scheduling.nodeSelector: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'bad toleration',
      { scheduling: { tolerations: [{ operator: 'Equal', value: 'x' }] } },
      ['scheduling.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    ],
  ];
  for (const [name, extra, want] of cases) t.same(create(runtimeclasses, rc(extra), '').errors, want, name);
});

t.test('canonical overhead', async (t) => {
  const obj = stored(runtimeclasses, rc({ overhead: { podFixed: { memory: '1024Mi', cpu: 1 } } }));
  runtimeclasses.strategy.canonicalize?.(obj);
  t.same((obj.overhead as { podFixed: unknown }).podFixed, { memory: '1Gi', cpu: '1' });
});

t.test('handler is immutable', async (t) => {
  const old = stored(runtimeclasses, rc({}));
  t.same(update(runtimeclasses, rc({ handler: 'kata' }), old).errors, ['handler: Invalid value: "kata": field is immutable']);
  t.same(update(runtimeclasses, rc({ scheduling: { nodeSelector: { a: 'b' } } }), old).errors, []);
});

t.test('printer cells', async (t) => {
  t.same(cells(runtimeclasses, rc({})), ['gvisor', 'runsc', '7m']);
});
