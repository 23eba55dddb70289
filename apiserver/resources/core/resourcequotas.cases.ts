import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { resourcequotas } from './resourcequotas.js';
import { cells, create, minutesAgo } from './strategy-harness.js';

const rq = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'q', namespace: 'default', creationTimestamp: minutesAgo(60 * 5 + 7) },
  spec,
  ...(status ? { status } : {}),
});

t.test('definition', async (t) => {
  t.match(resourcequotas, { kind: 'ResourceQuota', shortNames: ['quota'], modelName: 'V1ResourceQuota' });
  t.same(resourcequotas.subresources.map((s) => s.name), ['status']);
  t.same(resourcequotas.printerColumns!.map((c) => c.name), ['Name', 'Age', 'Request', 'Limit']);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', rq({ hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'count/deployments.apps': '5', 'requests.nvidia.com/gpu': '2' } }), []],
    ['unknown name', rq({ hard: { gpus: '1' } }), ['spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota']],
    ['negative', rq({ hard: { cpu: '-1' } }), ['spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['fractional count', rq({ hard: { pods: '1.5' } }), ['spec.hard[pods]: Invalid value: "1500m": must be an integer']],
    ['bad quantity', rq({ hard: { memory: '1GB' } }), [`spec.hard[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`]],
    ['scope', rq({ hard: { pods: '1' }, scopes: ['Sometimes'] }), ['spec.scopes: Invalid value: ["Sometimes"]: unsupported scope']],
    ['conflict', rq({ hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }), ['spec.scopes: Invalid value: ["Terminating","NotTerminating"]: conflicting scopes']],
  ];
  for (const [name, input, want] of cases) t.same(create(resourcequotas, input).errors, want, name);
});

t.test('printer cells', async (t) => {
  const obj = rq(
    { hard: {} },
    { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'limits.cpu': '8', memory: '1024Mi' }, used: { pods: '3', 'requests.cpu': '1500m', 'limits.cpu': '2' } },
  );
  t.same(cells(resourcequotas, obj), ['q', '5h7m', 'memory: 0/1Gi, pods: 3/10, requests.cpu: 1500m/4', 'limits.cpu: 2/8, limits.memory: 0/8Gi']);
  t.same(cells(resourcequotas, rq({ hard: { pods: '1' } })), ['q', '5h7m', '', '']);
});
