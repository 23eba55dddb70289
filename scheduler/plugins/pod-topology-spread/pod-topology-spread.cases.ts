/**
 * PodTopologySpread as a whole: its args (defaulting and validation like kube's
 * ValidatePodTopologySpreadArgs), default constraints in PreFilter/Filter, and the
 * queueing hints of EventsToRegister.
 */
import t from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { parseArgs, SYSTEM_DEFAULT_CONSTRAINTS } from './args.js';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from './constraints.js';
import { factory } from './index.js';
import { cluster, constraint, HOST, node, pod, podsOn, runFilter, ZONE } from './testing.js';

t.test('args: defaulting', async (t) => {
  const system = parseArgs(undefined);
  t.equal(system.defaultingType, 'System');
  t.ok(system.systemDefaulted);
  t.same(system.defaultConstraints, [
    { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
    { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
  ]);
  t.same(parseArgs({}).defaultConstraints, SYSTEM_DEFAULT_CONSTRAINTS);
  const list = parseArgs({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' }] });
  t.notOk(list.systemDefaulted);
  t.equal(list.defaultConstraints.length, 1);
  t.same(parseArgs({ defaultingType: 'List' }).defaultConstraints, [], 'List with nothing: no defaults at all');
});

t.test('args: validation', async (t) => {
  const cases: { name: string; args: unknown; error: RegExp }[] = [
    { name: 'not an object', args: 'System', error: /expected an object/ },
    { name: 'unknown defaultingType', args: { defaultingType: 'Auto' }, error: /defaultingType: Unsupported value: "Auto"/ },
    {
      name: 'System with constraints',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' }] },
      error: /defaultingType: Invalid value: "System": when .defaultConstraints are not empty/,
    },
    {
      name: 'maxSkew 0',
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' }] },
      error: /defaultConstraints\[0\]\.maxSkew: Invalid value: 0: not in valid range/,
    },
    {
      name: 'no topologyKey',
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] },
      error: /defaultConstraints\[0\]\.topologyKey: Required value/,
    },
    {
      name: 'bad whenUnsatisfiable',
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'Never' }] },
      error: /whenUnsatisfiable: Unsupported value: "Never"/,
    },
    {
      name: 'a selector',
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] },
      error: /labelSelector: Forbidden: constraint must not define a selector/,
    },
    {
      name: 'a repeated key and action',
      args: {
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
          { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
        ],
      },
      error: /defaultConstraints\[1\]: Duplicate value/,
    },
    { name: 'constraints not a list', args: { defaultingType: 'List', defaultConstraints: {} }, error: /must be a list/ },
  ];
  for (const c of cases) t.throws(() => parseArgs(c.args), c.error, c.name);
  t.throws(() => factory({ defaultingType: 'Auto' }, undefined as never), /PodTopologySpread args/, 'the factory validates');
});

t.test('List default DoNotSchedule constraints filter pods without constraints of their own', async (t) => {
  const args = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule' }] };
  const nodes = [node('node-a'), node('node-b')];
  const existing = [...podsOn('node-a', 1, { app: 'web' }), ...podsOn('node-b', 3, { app: 'db' })];
  const cl = cluster(nodes, existing, args, [{ matchLabels: { app: 'web' } }]);
  const { preFilter, results } = runFilter(cl, pod({ labels: { app: 'web' } }));
  t.equal(preFilter.code, 'Success');
  t.equal(results.get('node-a')?.code, 'Unschedulable', 'a: 1 web pod + 1 - 0 > 1');
  t.equal(results.get('node-b')?.code, 'Success', 'the db pods are not selected by the workload selector');

  const noWorkload = cluster(nodes, existing, args, []);
  t.equal(runFilter(noWorkload, pod({ labels: { app: 'web' } })).preFilter.code, 'Skip', 'no workload selects the pod: no defaults');
  const own = runFilter(cl, pod({ labels: { app: 'web' }, constraints: [constraint(HOST, 5)] }));
  t.equal(own.results.get('node-a')?.code, 'Success', "the pod's own constraints replace the defaults");

  const system = cluster(nodes, existing, undefined, [{ matchLabels: { app: 'web' } }]);
  t.equal(runFilter(system, pod({ labels: { app: 'web' } })).preFilter.code, 'Skip', 'system defaults are all ScheduleAnyway');
});

t.test('workload selectors are ANDed into one', async (t) => {
  const args = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule' }] };
  const existing = [...podsOn('node-a', 2, { app: 'web', tier: 'front' }), ...podsOn('node-b', 2, { app: 'web', tier: 'back' })];
  const selectors = [{ matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }];
  const cl = cluster([node('node-a'), node('node-b')], existing, args, selectors);
  const { results } = runFilter(cl, pod({ labels: { app: 'web', tier: 'front' } }));
  t.equal(results.get('node-a')?.code, 'Unschedulable');
  t.equal(results.get('node-b')?.code, 'Success', 'back-tier pods do not match the merged selector');
});

t.test('eventsToRegister and queueing hints', async (t) => {
  const cl = cluster([node('node-a', { [ZONE]: 'zone1' })]);
  const events = cl.plugin.eventsToRegister();
  t.same(
    events.map((e) => `${e.event.resource}/${e.event.action}`),
    ['AssignedPod/Add', 'AssignedPod/Update', 'AssignedPod/Delete', 'Node/Add', 'Node/Update', 'Node/Delete'],
  );
  const hint = (resource: string, action: string) => events.find((e) => e.event.resource === resource && e.event.action === action)!.hint!;
  const waiting = pod({ labels: { foo: '' }, constraints: [constraint(ZONE, 1)] });
  const assigned = (labels: Record<string, string>, extra: Partial<Parameters<typeof pod>[0]> = {}): V1Pod => pod({ name: 'other', nodeName: 'node-a', labels, ...extra });

  const podCases: { name: string; action: string; old?: V1Pod; new?: V1Pod; want: 'Queue' | 'Skip' }[] = [
    { name: 'a matching pod added', action: 'Add', new: assigned({ foo: '' }), want: 'Queue' },
    { name: 'an unrelated pod added', action: 'Add', new: assigned({ bar: '' }), want: 'Skip' },
    { name: 'a matching pod in another namespace', action: 'Add', new: assigned({ foo: '' }, { namespace: 'other' }), want: 'Skip' },
    { name: 'a matching pod deleted', action: 'Delete', old: assigned({ foo: '' }), want: 'Queue' },
    { name: 'an unrelated pod deleted', action: 'Delete', old: assigned({ bar: '' }), want: 'Skip' },
    { name: 'labels now match', action: 'Update', old: assigned({ bar: '' }), new: assigned({ foo: '' }), want: 'Queue' },
    { name: 'labels stop matching', action: 'Update', old: assigned({ foo: '' }), new: assigned({}), want: 'Queue' },
    { name: 'labels change but match the same', action: 'Update', old: assigned({ foo: '', v: '1' }), new: assigned({ foo: '', v: '2' }), want: 'Skip' },
    { name: 'labels unchanged', action: 'Update', old: assigned({ foo: '' }), new: assigned({ foo: '' }), want: 'Skip' },
  ];
  for (const c of podCases) t.equal(hint('AssignedPod', c.action)(waiting, c.old, c.new), c.want, c.name);

  const n = (labels: Record<string, string>, taints?: V1Node['spec']): V1Node => ({ metadata: { name: 'n', labels }, ...(taints ? { spec: taints } : {}) });
  const nodeCases: { name: string; action: string; old?: V1Node; new?: V1Node; want: 'Queue' | 'Skip' }[] = [
    { name: 'a node with the key added', action: 'Add', new: n({ [ZONE]: 'z' }), want: 'Queue' },
    { name: 'a node without the key added', action: 'Add', new: n({}), want: 'Skip' },
    { name: 'a node with the key deleted', action: 'Delete', old: n({ [ZONE]: 'z' }), want: 'Queue' },
    { name: 'a node without the key deleted', action: 'Delete', old: n({}), want: 'Skip' },
    { name: 'the key appears', action: 'Update', old: n({}), new: n({ [ZONE]: 'z' }), want: 'Queue' },
    { name: 'the key value changes', action: 'Update', old: n({ [ZONE]: 'z' }), new: n({ [ZONE]: 'y' }), want: 'Queue' },
    { name: 'another label changes', action: 'Update', old: n({ [ZONE]: 'z', a: '1' }), new: n({ [ZONE]: 'z', a: '2' }), want: 'Skip' },
    { name: 'taints change', action: 'Update', old: n({ [ZONE]: 'z' }), new: n({ [ZONE]: 'z' }, { taints: [{ key: 'k', effect: 'NoSchedule' }] }), want: 'Queue' },
    { name: 'no key before or after', action: 'Update', old: n({ a: '1' }), new: n({ a: '2' }), want: 'Skip' },
  ];
  for (const c of nodeCases) t.equal(hint('Node', c.action)(waiting, c.old, c.new), c.want, c.name);

  const broken = pod({ constraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }] });
  t.equal(hint('Node', 'Add')(broken, undefined, n({})), 'Queue', 'constraints that cannot be built: Queue rather than strand the pod');
});
