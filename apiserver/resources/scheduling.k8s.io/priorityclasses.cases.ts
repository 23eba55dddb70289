import t from 'tap';
import type { KubeObject, LifecycleEnv, ResourceDef } from '../../catalogue/resource-def.js';
import { ApiError } from '../../errors/api-error.js';
import { cells, create, minutesAgo, stored, testContext, update } from '../core/strategy-harness.js';
import { priorityClasses } from './priorityclasses.js';

const pc = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, creationTimestamp: minutesAgo(60 * 5) },
  ...extra,
});

t.test('definition', async (t) => {
  t.match(priorityClasses, {
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    shortNames: ['pc'],
    namespaced: false,
    modelName: 'V1PriorityClass',
  });
  t.same(
    priorityClasses.printerColumns?.map((c) => c.name),
    ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
  );
});

t.test('defaults', async (t) => {
  t.match(create(priorityClasses, pc('high', { value: 1000 })).obj, { value: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  t.match(create(priorityClasses, pc('zero')).obj, { value: 0 });
  t.match(create(priorityClasses, pc('np', { value: 5, preemptionPolicy: 'Never' })).obj, { preemptionPolicy: 'Never' });
});

t.test('validation', async (t) => {
  const reserved = "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: ";
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', pc('high', { value: 1000, globalDefault: true, description: 'x' }), []],
    ['negative value', pc('low', { value: -5 }), []],
    ['max user value', pc('top', { value: 1000000000 }), []],
    ['above user max', pc('top', { value: 1000000001 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']],
    ['not int32', pc('big', { value: 3000000000 }), ['value: Invalid value: 3000000000: must be a 32-bit integer']],
    ['string value', pc('s', { value: '10' }), ['value: Invalid value: "10": must be a 32-bit integer']],
    ['system node critical', pc('system-node-critical', { value: 2000001000 }), []],
    ['system cluster critical', pc('system-cluster-critical', { value: 2000000000 }), []],
    ['unknown system name', pc('system-foo', { value: 10 }), [`${reserved}system-foo is not a known system priority class`]],
    ['wrong system value', pc('system-node-critical', { value: 10 }), [`${reserved}value of system-node-critical PriorityClass must be 2000001000`]],
    [
      'system default',
      pc('system-cluster-critical', { value: 2000000000, globalDefault: true }),
      [`${reserved}globalDefault of system-cluster-critical PriorityClass must be false`],
    ],
    [
      'bad preemption policy',
      pc('x', { value: 1, preemptionPolicy: 'Sometimes' }),
      ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
    ],
    ['empty preemption policy', pc('x', { value: 1, preemptionPolicy: '' }), ['preemptionPolicy: Required value']],
  ];
  for (const [name, input, want] of cases) t.same(create(priorityClasses, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(priorityClasses, pc('high', { value: 1000 }));
  t.same(update(priorityClasses, { ...old, description: 'changed', globalDefault: true }, old).errors, []);
  t.same(update(priorityClasses, { ...old, value: 2000 }, old).errors, ['value: Forbidden: may not be changed in an update.']);
  t.same(update(priorityClasses, { ...old, preemptionPolicy: 'Never' }, old).errors, ['preemptionPolicy: Invalid value: "Never": field is immutable']);
  const { preemptionPolicy: _p, ...withoutPolicy } = old as KubeObject & { preemptionPolicy?: string };
  t.same(update(priorityClasses, withoutPolicy, old).errors, [], 'an omitted policy is defaulted back');
});

t.test('system classes', async (t) => {
  const boot = priorityClasses.bootstrapObjects?.() ?? [];
  t.same(
    boot.map((o) => [o.metadata.name, o.value]),
    [
      ['system-node-critical', 2000001000],
      ['system-cluster-critical', 2000000000],
    ],
  );
  t.match(boot[0], { description: 'Used for system critical pods that must not be moved from their current node.' });
  t.match(boot[1], { description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' });
  for (const o of boot) t.same(create(priorityClasses, o).errors, [], `${o.metadata.name} is valid`);
  t.throws(() => priorityClasses.strategy.prepareForDelete?.(stored(priorityClasses, boot[0]!), testContext('')), {
    code: 403,
    message: 'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted',
  });
  t.equal(priorityClasses.strategy.prepareForDelete?.(stored(priorityClasses, pc('high', { value: 1 })), testContext('')), false);
});

/** a lifecycle env over a fixed list of stored classes */
const envOf = (objects: KubeObject[]): LifecycleEnv => ({
  list: async (_def: ResourceDef) => objects,
  get: async (_def, _ns, name) => objects.find((o) => o.metadata.name === name),
  lookup: () => undefined,
  cluster: testContext().cluster,
});

t.test('only one global default', async (t) => {
  const existing = stored(priorityClasses, pc('default-a', { value: 10, globalDefault: true }));
  const lc = priorityClasses.lifecycle!(envOf([existing]));
  const ctx = testContext('');
  await t.rejects(lc.beforeCreate!(stored(priorityClasses, pc('default-b', { value: 20, globalDefault: true })), ctx), {
    code: 403,
    message: 'priorityclasses.scheduling.k8s.io "default-b" is forbidden: PriorityClass default-a is already marked as default. Only one default can exist',
  });
  await t.resolves(lc.beforeCreate!(stored(priorityClasses, pc('plain', { value: 20 })), ctx));
  await t.resolves(lc.beforeUpdate!({ ...existing, description: 'x' }, existing, ctx), 'the default itself may be updated');
  const other = stored(priorityClasses, pc('other', { value: 5 }));
  await t.rejects(lc.beforeUpdate!({ ...other, globalDefault: true }, other, ctx), ApiError);
});

t.test('printer cells', async (t) => {
  t.same(cells(priorityClasses, stored(priorityClasses, pc('high', { value: 1000, globalDefault: true }))), ['high', 1000, true, '5h', 'PreemptLowerPriority']);
  t.same(cells(priorityClasses, pc('raw', { value: 3 })), ['raw', 3, false, '5h', '']);
});
