import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { failureStatusPatch } from './scheduling-failure.js';

const NOW = '2026-01-01T00:00:00.000Z';
const withCondition = (reason: string, message: string, nominated?: string): V1Pod =>
  ({
    metadata: { name: 'p' },
    status: {
      conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime: 'earlier' }],
      ...(nominated ? { nominatedNodeName: nominated } : {}),
    },
  }) as unknown as V1Pod;

t.test('the status is written only when it changes', async (t) => {
  const cases: Array<{ name: string; pod: V1Pod; failure: Parameters<typeof failureStatusPatch>[1]; want: unknown }> = [
    {
      name: 'first failure sets the condition',
      pod: { metadata: { name: 'p' }, status: {} },
      failure: { reason: 'Unschedulable', message: 'm' },
      want: { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null, lastTransitionTime: NOW }] } },
    },
    { name: 'the same failure again writes nothing', pod: withCondition('Unschedulable', 'm'), failure: { reason: 'Unschedulable', message: 'm' }, want: undefined },
    {
      name: 'a new message keeps the transition time',
      pod: withCondition('Unschedulable', 'old'),
      failure: { reason: 'Unschedulable', message: 'new' },
      want: { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'new', lastProbeTime: null, lastTransitionTime: 'earlier' }] } },
    },
    {
      name: 'a nomination alone',
      pod: withCondition('Unschedulable', 'm'),
      failure: { reason: 'Unschedulable', message: 'm', nominatedNodeName: 'n1' },
      want: { status: { nominatedNodeName: 'n1' } },
    },
    { name: 'the same nomination writes nothing', pod: withCondition('Unschedulable', 'm', 'n1'), failure: { reason: 'Unschedulable', message: 'm', nominatedNodeName: 'n1' }, want: undefined },
  ];
  for (const c of cases) t.same(failureStatusPatch(c.pod, c.failure, NOW), c.want, c.name);
});
