import t from 'tap';
import { newPodInfo } from '../framework/node-info.js';
import type { ClusterEvent, ClusterEventWithHint, QueuedPodInfo } from '../framework/types.js';
import { eventsOfInterest, podWorthRequeuing } from './queueing-hints.js';

const qpi = (...plugins: string[]): QueuedPodInfo => ({
  podInfo: newPodInfo({ metadata: { name: 'p', namespace: 'd' } }),
  initialAttemptTimestamp: 0,
  timestamp: 0,
  attempts: 1,
  unschedulablePlugins: new Set(plugins),
});
const nodeAdd: ClusterEvent = { resource: 'Node', action: 'Add' };
const nodeUpdate: ClusterEvent = { resource: 'Node', action: 'Update' };
const podDelete: ClusterEvent = { resource: 'AssignedPod', action: 'Delete' };

const hints = new Map<string, ClusterEventWithHint[]>([
  ['Fit', [{ event: nodeAdd }, { event: podDelete, hint: (_pod, old) => ((old as { big?: boolean }).big ? 'Queue' : 'Skip') }]],
  ['Taint', [{ event: nodeUpdate, hint: () => 'Skip' }]],
  ['Broken', [{ event: nodeUpdate, hint: () => { throw new Error('boom'); } }]],
]);

t.test('a pod moves only on events its rejecting plugins registered, if their hint agrees', async (t) => {
  const cases: { name: string; plugins: string[]; event: ClusterEvent; old?: unknown; want: 'Queue' | 'Skip' }[] = [
    { name: 'registered, no hint', plugins: ['Fit'], event: nodeAdd, want: 'Queue' },
    { name: 'hint says Queue', plugins: ['Fit'], event: podDelete, old: { big: true }, want: 'Queue' },
    { name: 'hint says Skip', plugins: ['Fit'], event: podDelete, old: { big: false }, want: 'Skip' },
    { name: 'not registered by the rejector', plugins: ['Fit'], event: nodeUpdate, want: 'Skip' },
    { name: 'registered by another plugin only', plugins: ['Taint'], event: nodeAdd, want: 'Skip' },
    { name: 'one of two rejectors says Queue', plugins: ['Taint', 'Fit'], event: nodeAdd, want: 'Queue' },
    { name: 'no rejecting plugin: any event', plugins: [], event: nodeUpdate, want: 'Queue' },
    { name: 'unknown plugin', plugins: ['Nobody'], event: nodeAdd, want: 'Skip' },
    { name: 'hint throws: Queue', plugins: ['Broken'], event: nodeUpdate, want: 'Queue' },
  ];
  for (const c of cases) {
    const errors: string[] = [];
    t.equal(podWorthRequeuing(qpi(...c.plugins), c.event, c.old, undefined, hints, (p) => errors.push(p)), c.want, c.name);
    if (c.name === 'hint throws: Queue') t.same(errors, ['Broken']);
  }
});

t.test('events of interest', async (t) => {
  t.same([...eventsOfInterest(hints)].sort(), ['AssignedPod/Delete', 'Node/Add', 'Node/Update']);
});
