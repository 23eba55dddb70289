import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';

const pdb = (spec: unknown, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(90) },
  spec,
  ...extra,
});
const selector = { matchLabels: { app: 'web' } };

t.test('definition', async (t) => {
  t.match(podDisruptionBudgets, {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    shortNames: ['pdb'],
    namespaced: true,
    modelName: 'V1PodDisruptionBudget',
  });
  t.same(
    podDisruptionBudgets.subresources.map((s) => s.name),
    ['status'],
  );
  t.same(
    podDisruptionBudgets.printerColumns?.map((c) => c.name),
    ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
  );
});

t.test('create starts with the zero status', async (t) => {
  const { obj } = create(podDisruptionBudgets, pdb({ minAvailable: 1, selector }, { status: { disruptionsAllowed: 5 } }));
  t.same(obj.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
});

t.test('validation', async (t) => {
  const percentRule = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
  const cases: Array<[string, unknown, string[]]> = [
    ['min count', { minAvailable: 2, selector }, []],
    ['max percent', { maxUnavailable: '25%', selector }, []],
    ['zero and 100%', { minAvailable: '100%', selector }, []],
    ['neither (kube allows it)', { selector }, []],
    ['no selector', { minAvailable: 1 }, []],
    ['policy', { minAvailable: 1, selector, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, []],
    [
      'both',
      { minAvailable: 1, maxUnavailable: 1, selector },
      ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":1,"selector":{"matchLabels":{"app":"web"}}}: minAvailable and maxUnavailable cannot be both set'],
    ],
    ['negative', { minAvailable: -1, selector }, ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']],
    ['bad percent', { maxUnavailable: 'half', selector }, [`spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: ${percentRule}`]],
    ['over 100%', { minAvailable: '101%', selector }, ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%']],
    ['not a number', { minAvailable: true, selector }, ["spec.minAvailable: Invalid value: true: must be an integer or percentage (e.g '5%')"]],
    [
      'selector',
      { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'eviction policy',
      { minAvailable: 1, selector, unhealthyPodEvictionPolicy: 'Sometimes' },
      ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"'],
    ],
  ];
  for (const [name, spec, want] of cases) t.same(create(podDisruptionBudgets, pdb(spec)).errors, want, name);
});

t.test('status updates', async (t) => {
  const old = stored(podDisruptionBudgets, pdb({ minAvailable: 1, selector }));
  const next = { ...old, status: { disruptionsAllowed: -1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } };
  t.same(update(podDisruptionBudgets, next, old, 'status').errors, ['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
});

t.test('printer cells', async (t) => {
  t.same(cells(podDisruptionBudgets, pdb({ minAvailable: 2, selector }, { status: { disruptionsAllowed: 1 } })), ['web', '2', 'N/A', 1, '90m']);
  t.same(cells(podDisruptionBudgets, pdb({ maxUnavailable: '20%', selector })), ['web', 'N/A', '20%', 0, '90m']);
});
