import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { stored } from '../core/strategy-harness.js';
import { admitPodPriority, keepPodPriority, type PriorityEnv } from './pod-priority.js';
import { priorityClasses } from './priorityclasses.js';

const cls = (name: string, value: number, extra: Record<string, unknown> = {}) => stored(priorityClasses, { metadata: { name }, value, ...extra });
const envOf = (classes: KubeObject[]): PriorityEnv => ({
  list: async () => classes,
  get: async (_def, _ns, name) => classes.find((c) => c.metadata.name === name),
  lookup: () => undefined,
});
const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const specOf = (p: KubeObject) => p.spec as Record<string, unknown>;

const high = cls('high', 1000);
const never = cls('batch', 50, { preemptionPolicy: 'Never' });
const fallback = cls('fallback', 7, { globalDefault: true });

t.test('admits from the named class', async (t) => {
  const cases: Array<[string, Record<string, unknown>, KubeObject[], Record<string, unknown>]> = [
    ['class value', { priorityClassName: 'high' }, [high], { priority: 1000, preemptionPolicy: 'PreemptLowerPriority' }],
    ['class policy', { priorityClassName: 'batch' }, [never], { priority: 50, preemptionPolicy: 'Never' }],
    ['matching values may be repeated', { priorityClassName: 'batch', priority: 50, preemptionPolicy: 'Never' }, [never], { priority: 50 }],
    ['no class, no default', {}, [high], { priority: 0, preemptionPolicy: 'PreemptLowerPriority' }],
    ['no class, a global default', {}, [high, fallback], { priority: 7, priorityClassName: 'fallback' }],
    ['explicit zero with no default', { priority: 0 }, [], { priority: 0 }],
  ];
  for (const [name, spec, classes, want] of cases) {
    const p = pod(spec);
    await admitPodPriority(p, envOf(classes));
    t.match(specOf(p), want, name);
  }
});

t.test('lowest-valued default wins a race', async (t) => {
  const p = pod({});
  await admitPodPriority(p, envOf([cls('d1', 100, { globalDefault: true }), cls('d2', 3, { globalDefault: true })]));
  t.match(specOf(p), { priorityClassName: 'd2', priority: 3 });
});

t.test('refusals', async (t) => {
  await t.rejects(admitPodPriority(pod({ priorityClassName: 'nope' }), envOf([high])), {
    code: 403,
    reason: 'Forbidden',
    message: 'pods "web" is forbidden: no PriorityClass with name nope was found',
    details: { name: 'web', group: '', kind: 'pods' },
  });
  await t.rejects(admitPodPriority(pod({ priorityClassName: 'high', priority: 5 }), envOf([high])), {
    message: 'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  });
  await t.rejects(admitPodPriority(pod({ priority: 5 }), envOf([])), {
    message: 'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
  });
  await t.rejects(admitPodPriority(pod({ priorityClassName: 'batch', preemptionPolicy: 'PreemptLowerPriority' }), envOf([never])), {
    message:
      'pods "web" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
  });
});

t.test('update keeps what create set', async (t) => {
  const old = pod({ priority: 1000, preemptionPolicy: 'Never', priorityClassName: 'batch' });
  const next = pod({ priorityClassName: 'batch' });
  keepPodPriority(next, old);
  t.match(specOf(next), { priority: 1000, preemptionPolicy: 'Never' });
  const changed = pod({ priority: 3 });
  keepPodPriority(changed, old);
  t.equal(specOf(changed).priority, 3, 'a given value is left for validation to judge');
});
