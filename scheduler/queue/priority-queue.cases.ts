import t, { type Test } from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { FakeClock } from '../../client/clock.js';
import { success, unresolvable } from '../framework/status.js';
import type { ClusterEvent, ClusterEventWithHint, QueuedPodInfo } from '../framework/types.js';
import { PriorityQueue, QueueClosedError, type SubQueue } from './priority-queue.js';
import type { PriorityQueueOptions } from './settings.js';

interface PodOpts {
  priority?: number;
  nominated?: string;
  labels?: Record<string, string>;
  gated?: boolean;
}
const pod = (name: string, o: PodOpts = {}): V1Pod => ({
  metadata: { name, namespace: 'default', ...(o.labels ? { labels: o.labels } : {}) },
  spec: {
    containers: [{ name: 'c', image: 'pause' }],
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
    ...(o.gated ? { schedulingGates: [{ name: 'wait' }] } : {}),
  },
  status: o.nominated ? { nominatedNodeName: o.nominated } : {},
});
const nameOf = (qpi: QueuedPodInfo) => qpi.podInfo.pod.metadata!.name!;

const nodeAdd: ClusterEvent = { resource: 'Node', action: 'Add' };
const nodeUpdate: ClusterEvent = { resource: 'Node', action: 'Update' };
const nodeDelete: ClusterEvent = { resource: 'Node', action: 'Delete' };
const hints = new Map<string, ClusterEventWithHint[]>([
  ['NodeResourcesFit', [{ event: nodeAdd }, { event: { resource: 'AssignedPod', action: 'Delete' } }]],
  ['TaintToleration', [{ event: nodeUpdate, hint: (_p, _old, n) => ((n as { ok?: boolean } | undefined)?.ok ? 'Queue' : 'Skip') }]],
  ['InterPodAffinity', [{ event: { resource: 'AssignedPod', action: 'Add' }, hint: (p, _o, n) => ((n as V1Pod).metadata?.labels?.app === p.metadata?.labels?.wants ? 'Queue' : 'Skip') }]],
]);

function setup(t: Test, opts: PriorityQueueOptions = {}) {
  const clock = new FakeClock();
  const q = new PriorityQueue({ clock, hints, ...opts });
  t.teardown(() => q.close());
  const where = (name: string): SubQueue | undefined => q.pendingPods().find((p) => p.pod.metadata?.name === name)?.queue;
  /** pop the head, then report the attempt as failed by these plugins */
  const popAndFail = async (...plugins: string[]) => {
    const qpi = await q.pop();
    const cycle = q.schedulingCycle();
    for (const p of plugins) qpi.unschedulablePlugins.add(p);
    return { qpi, cycle, putBack: () => q.addUnschedulableIfNotPresent(qpi, cycle) };
  };
  return { clock, q, where, popAndFail };
}

t.test('activeQ orders by priority, then by age', async (t) => {
  const cases: { name: string; pods: [string, number | undefined][]; want: string[] }[] = [
    { name: 'priority wins', pods: [['low', 1], ['high', 100], ['mid', 50]], want: ['high', 'mid', 'low'] },
    { name: 'equal priority: oldest first', pods: [['a', 5], ['b', 5], ['c', 5]], want: ['a', 'b', 'c'] },
    { name: 'unset priority is 0', pods: [['none', undefined], ['neg', -1], ['one', 1]], want: ['one', 'none', 'neg'] },
  ];
  for (const c of cases) {
    const { clock, q } = setup(t);
    for (const [name, priority] of c.pods) {
      q.add(pod(name, priority === undefined ? {} : { priority }));
      clock.step(10);
    }
    const got: string[] = [];
    for (let i = 0; i < c.pods.length; i++) got.push(nameOf(await q.pop()));
    t.same(got, c.want, c.name);
  }
});

t.test('a custom QueueSort less is used', async (t) => {
  const { q } = setup(t, { less: (a, b) => nameOf(a) > nameOf(b) });
  for (const n of ['a', 'c', 'b']) q.add(pod(n));
  t.same([nameOf(await q.pop()), nameOf(await q.pop()), nameOf(await q.pop())], ['c', 'b', 'a']);
});

t.test('backoff grows per attempt and is capped', async (t) => {
  const { clock, q, where } = setup(t, { initialBackoffMs: 1000, maxBackoffMs: 4000 });
  q.add(pod('p'));
  const waits: number[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const qpi = await q.pop();
    t.equal(qpi.attempts, attempt);
    // no rejecting plugin: an error, straight to backoffQ
    t.equal(q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle()), 'backoff');
    q.done(qpi.podInfo.key);
    let waited = 0;
    while (where('p') === 'backoff') {
      clock.step(500);
      waited += 500;
      q.flushBackoffQCompleted();
    }
    t.equal(where('p'), 'active');
    waits.push(waited);
  }
  t.same(waits, [1000, 2000, 4000, 4000, 4000]);
});

t.test('run() flushes backoffQ every second and stops on close', async (t) => {
  const { clock, q, where } = setup(t, { initialBackoffMs: 2000 });
  q.run();
  q.run(); // idempotent
  q.add(pod('p'));
  const { putBack } = await (async () => {
    const qpi = await q.pop();
    return { putBack: () => q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle()) };
  })();
  t.equal(putBack(), 'backoff');
  clock.step(1000);
  t.equal(where('p'), 'backoff');
  clock.step(1000);
  t.equal(where('p'), 'active');
  q.close();
  t.equal(clock.pending, 0, 'timers cancelled');
});

t.test('unschedulable pods move on a registered event whose hint says Queue', async (t) => {
  const cases: { name: string; plugins: string[]; event: ClusterEvent; newObj?: unknown; want: SubQueue }[] = [
    { name: 'registered without hint', plugins: ['NodeResourcesFit'], event: nodeAdd, want: 'active' },
    { name: 'hint Queue', plugins: ['TaintToleration'], event: nodeUpdate, newObj: { ok: true }, want: 'active' },
    { name: 'hint Skip', plugins: ['TaintToleration'], event: nodeUpdate, newObj: { ok: false }, want: 'unschedulable' },
    { name: 'registered by another plugin', plugins: ['NodeResourcesFit'], event: nodeUpdate, newObj: { ok: true }, want: 'unschedulable' },
    { name: 'nobody registered the event', plugins: ['NodeResourcesFit'], event: nodeDelete, want: 'unschedulable' },
  ];
  for (const c of cases) {
    const { clock, q, where, popAndFail } = setup(t);
    q.add(pod('p'));
    const { putBack } = await popAndFail(...c.plugins);
    t.equal(putBack(), 'unschedulable', `${c.name}: parked`);
    clock.step(5000); // past its 1 s backoff, so a move goes straight to activeQ
    q.moveAllToActiveOrBackoffQueue(c.event, undefined, c.newObj);
    t.equal(where('p'), c.want, c.name);
  }
});

t.test('a moved pod still backing off goes to backoffQ; preCheck narrows the move', async (t) => {
  const { clock, q, where, popAndFail } = setup(t);
  q.add(pod('a'));
  q.add(pod('b'));
  for (let i = 0; i < 2; i++) (await popAndFail('NodeResourcesFit')).putBack();
  q.moveAllToActiveOrBackoffQueue(nodeAdd, undefined, {}, (p) => p.metadata?.name === 'a');
  t.equal(where('a'), 'backoff', 'within its 1 s backoff');
  t.equal(where('b'), 'unschedulable', 'excluded by preCheck');
  clock.step(1000);
  q.flushBackoffQCompleted();
  t.equal(where('a'), 'active');
});

t.test('assigned pod events go through the hints', async (t) => {
  const { clock, q, where, popAndFail } = setup(t);
  q.add(pod('wants-web', { labels: { wants: 'web' } }));
  q.add(pod('fit'));
  const first = await popAndFail('InterPodAffinity');
  first.putBack();
  (await popAndFail('NodeResourcesFit')).putBack();
  clock.step(5000);
  q.assignedPodAdded(pod('db', { labels: { app: 'db' } }));
  t.equal(where('wants-web'), 'unschedulable', 'hint Skip: not the partner');
  q.assignedPodUpdated(pod('web'), pod('web', { labels: { app: 'web' } }));
  t.equal(where('wants-web'), 'unschedulable', 'Update not registered');
  q.assignedPodAdded(pod('web', { labels: { app: 'web' } }));
  t.equal(where('wants-web'), 'active');
  t.equal(where('fit'), 'unschedulable');
  q.assignedPodDeleted(pod('web'));
  t.equal(where('fit'), 'active');
});

t.test('unschedulable pods are retried after the timeout', async (t) => {
  const { clock, q, where, popAndFail } = setup(t, { maxInUnschedulableMs: 60_000, unschedulableFlushIntervalMs: 10_000 });
  q.run();
  q.add(pod('p'));
  (await popAndFail('NodeResourcesFit')).putBack();
  clock.step(60_000);
  t.equal(where('p'), 'unschedulable', 'exactly at the timeout: not yet (kube compares strictly)');
  clock.step(10_000);
  t.equal(where('p'), 'active');
});

t.test('the moveRequestCycle rule', async (t) => {
  const cases: { name: string; eventBeforePop?: ClusterEvent; eventInFlight?: ClusterEvent; plugins: string[]; want: SubQueue }[] = [
    { name: 'no event', plugins: ['NodeResourcesFit'], want: 'unschedulable' },
    { name: 'event of interest while in flight', eventInFlight: nodeAdd, plugins: ['NodeResourcesFit'], want: 'backoff' },
    { name: 'event of interest registered by another plugin, in flight', eventInFlight: nodeUpdate, plugins: ['NodeResourcesFit'], want: 'backoff' },
    { name: 'event nobody registered, in flight', eventInFlight: nodeDelete, plugins: ['NodeResourcesFit'], want: 'unschedulable' },
    { name: 'event before the pop', eventBeforePop: nodeAdd, plugins: ['NodeResourcesFit'], want: 'unschedulable' },
    { name: 'no rejecting plugin (an error)', plugins: [], want: 'backoff' },
  ];
  for (const c of cases) {
    const { q, popAndFail } = setup(t);
    q.add(pod('other'));
    q.add(pod('p'));
    await q.pop(); // another pod's cycle
    if (c.eventBeforePop) q.moveAllToActiveOrBackoffQueue(c.eventBeforePop, undefined, {});
    const { putBack } = await popAndFail(...c.plugins);
    if (c.eventInFlight) q.moveAllToActiveOrBackoffQueue(c.eventInFlight, undefined, {});
    t.equal(putBack(), c.want, c.name);
  }
});

async function parkAfterFailure(s: ReturnType<typeof setup>, ...plugins: string[]): Promise<void> {
  const { qpi, putBack } = await s.popAndFail(...plugins);
  putBack();
  s.q.done(qpi.podInfo.key);
}

t.test('delete removes a pod from every sub-queue', async (t) => {
  const cases: { name: string; park: (s: ReturnType<typeof setup>) => Promise<void>; from: SubQueue }[] = [
    { name: 'active', park: async () => {}, from: 'active' },
    { name: 'backoff', park: (s) => parkAfterFailure(s), from: 'backoff' },
    { name: 'unschedulable', park: (s) => parkAfterFailure(s, 'NodeResourcesFit'), from: 'unschedulable' },
  ];
  for (const c of cases) {
    const s = setup(t);
    s.q.add(pod('p', { nominated: 'n1' }));
    await c.park(s);
    t.equal(s.where('p'), c.from, `${c.name}: parked`);
    s.q.delete(pod('p'));
    t.equal(s.where('p'), undefined, `${c.name}: gone`);
    t.same(s.q.nominatedPodsForNode('n1'), [], `${c.name}: nomination gone`);
    t.same(s.q.lengths(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  }
});

t.test('what happens to a pod while it is in flight is applied when it comes back', async (t) => {
  const cases: { name: string; during: (q: PriorityQueue) => void; plugins: string[]; want: string; label?: string }[] = [
    { name: 'deleted: dropped', during: (q) => q.delete(pod('p')), plugins: ['NodeResourcesFit'], want: 'dropped' },
    { name: 'updated meaningfully: backoff, new object', during: (q) => q.update(pod('p'), pod('p', { labels: { v: '2' } })), plugins: ['NodeResourcesFit'], want: 'backoff', label: '2' },
    { name: 'status-only update: unschedulable', during: (q) => q.update(pod('p'), { ...pod('p'), status: { phase: 'Pending' } }), plugins: ['NodeResourcesFit'], want: 'unschedulable' },
    { name: 'activated: active', during: (q) => q.activate([pod('p')]), plugins: ['NodeResourcesFit'], want: 'active' },
    { name: 're-added by a relist: treated as an update', during: (q) => q.add(pod('p')), plugins: ['NodeResourcesFit'], want: 'unschedulable' },
  ];
  for (const c of cases) {
    const { q, popAndFail } = setup(t);
    q.add(pod('p'));
    const { qpi, putBack } = await popAndFail(...c.plugins);
    t.equal(q.lengths().inFlight, 1);
    c.during(q);
    t.equal(q.lengths().active, 0, `${c.name}: not queued twice`);
    t.equal(putBack(), c.want, c.name);
    if (c.label) t.equal(qpi.podInfo.pod.metadata?.labels?.v, c.label);
    q.done(qpi.podInfo.key);
    t.equal(q.lengths().inFlight, 0);
  }
});

t.test('update moves an unschedulable pod only on a meaningful change', async (t) => {
  const cases: { name: string; next: V1Pod; want: SubQueue; waitMs: number }[] = [
    { name: 'status only', next: { ...pod('p'), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } }, want: 'unschedulable', waitMs: 5000 },
    { name: 'labels, past backoff', next: pod('p', { labels: { x: 'y' } }), want: 'active', waitMs: 5000 },
    { name: 'labels, still backing off', next: pod('p', { labels: { x: 'y' } }), want: 'backoff', waitMs: 0 },
  ];
  for (const c of cases) {
    const { clock, q, where, popAndFail } = setup(t);
    q.add(pod('p'));
    (await popAndFail('NodeResourcesFit')).putBack();
    clock.step(c.waitMs);
    q.update(pod('p'), c.next);
    t.equal(where('p'), c.want, c.name);
  }
});

t.test('update in activeQ re-sorts by the new priority; unknown pods are added', async (t) => {
  const { q } = setup(t);
  q.add(pod('a', { priority: 10 }));
  q.add(pod('b', { priority: 5 }));
  q.update(pod('b', { priority: 5 }), pod('b', { priority: 20 }));
  q.update(undefined, pod('c', { priority: 1 }));
  t.same([nameOf(await q.pop()), nameOf(await q.pop()), nameOf(await q.pop())], ['b', 'a', 'c']);
});

t.test('activate moves pods from backoffQ and unschedulablePods to activeQ', async (t) => {
  const { q, where, popAndFail } = setup(t);
  q.add(pod('a'));
  q.add(pod('b'));
  q.add(pod('c'));
  (await popAndFail()).putBack();
  (await popAndFail('NodeResourcesFit')).putBack();
  t.same([where('a'), where('b'), where('c')], ['backoff', 'unschedulable', 'active']);
  q.activate([pod('a'), pod('b'), pod('c'), pod('unknown')]);
  t.same([where('a'), where('b'), where('c')], ['active', 'active', 'active']);
});

t.test('pop waits for a pod, honours abort and close', async (t) => {
  const { q } = setup(t);
  let got: string | undefined;
  const waiting = q.pop().then((qpi) => (got = nameOf(qpi)));
  await Promise.resolve();
  t.equal(got, undefined, 'still waiting');
  q.add(pod('low', { priority: 1 }));
  q.add(pod('high', { priority: 9 }));
  await waiting;
  t.equal(got, 'high', 'woken after the batch, takes the head');

  t.equal(nameOf(await q.pop()), 'low');

  const ac = new AbortController();
  const aborted = q.pop(ac.signal).catch((e: unknown) => e);
  const second = q.pop(); // queued behind the aborted one
  ac.abort(new Error('stop'));
  t.match(await aborted, { message: 'stop' });
  q.add(pod('late'));
  t.equal(nameOf(await second), 'late', 'the next waiter still gets the pod');

  const closedWait = q.pop().catch((e: unknown) => e);
  q.close();
  t.type(await closedWait, QueueClosedError);
  await t.rejects(q.pop(), QueueClosedError);
  await t.rejects(q.pop(AbortSignal.abort(new Error('pre-aborted'))), { message: 'scheduling queue is closed' });
});

t.test('pop with an already aborted signal rejects', async (t) => {
  const { q } = setup(t);
  q.add(pod('p'));
  await t.rejects(q.pop(AbortSignal.abort(new Error('early'))), { message: 'early' });
  t.equal(q.lengths().active, 1, 'the pod stays queued');
});

t.test('nominated pods follow add, update, delete and put-back', async (t) => {
  const { q, popAndFail } = setup(t);
  const names = (node: string) => q.nominatedPodsForNode(node).map((p) => p.pod.metadata!.name);
  q.add(pod('a', { nominated: 'n1' }));
  q.add(pod('b'));
  t.same(names('n1'), ['a']);
  q.addNominatedPod((await popAndFail()).qpi.podInfo, 'n1'); // a popped and nominated by preemption
  t.same(names('n1'), ['a']);
  q.update(pod('b'), pod('b', { nominated: 'n2' }));
  t.same(names('n2'), ['b']);
  q.update(pod('b', { nominated: 'n2' }), pod('b', { nominated: 'n1' }));
  t.same(names('n1'), ['a', 'b']);
  t.same(names('n2'), []);
  q.deleteNominatedPodIfExists(pod('a'));
  t.same(names('n1'), ['b']);
  q.delete(pod('b'));
  t.same(names('n1'), []);
});

t.test('a PreEnqueue gate parks pods until an update lifts it', async (t) => {
  const preEnqueue = (p: V1Pod) => (p.spec?.schedulingGates?.length ? { ...unresolvable('waiting for scheduling gates'), plugin: 'SchedulingGates' } : success());
  const { clock, q, where } = setup(t, { preEnqueue, maxInUnschedulableMs: 1000 });
  q.add(pod('g', { gated: true }));
  t.equal(where('g'), 'unschedulable');
  t.same(q.pendingPods()[0]?.unschedulablePlugins, ['SchedulingGates']);
  t.equal(q.pendingPods()[0]?.gated, true);
  clock.step(10_000);
  q.moveAllToActiveOrBackoffQueue(nodeAdd, undefined, {});
  q.flushUnschedulablePodsLeftover();
  q.activate([pod('g')]);
  t.equal(where('g'), 'unschedulable', 'events, the timeout and activate do not lift a gate');
  q.update(pod('g', { gated: true }), pod('g', { gated: true, labels: { x: 'y' } }));
  t.equal(where('g'), 'unschedulable', 'still gated');
  q.update(pod('g', { gated: true }), pod('g'));
  t.equal(where('g'), 'active');
});

t.test('putting back a pod that is already queued keeps the queued copy', async (t) => {
  const { q } = setup(t);
  q.add(pod('p'));
  const qpi = await q.pop();
  q.add(pod('other'));
  const cycle = q.schedulingCycle();
  q.delete(pod('p'));
  q.add(pod('p')); // recreated while the old one was in flight
  t.equal(q.addUnschedulableIfNotPresent(qpi, cycle), 'active');
  t.equal(q.lengths().active, 2);
});

t.test('10,000 pods add and pop in priority order', async (t) => {
  const { q } = setup(t);
  const pods = Array.from({ length: 10_000 }, (_, i) => pod(`p${i}`, { priority: (i * 7919) % 1000 }));
  // CPU time, not wall time: the suite shares two cores with other test files
  const start = process.cpuUsage();
  for (const p of pods) q.add(p);
  let last = Infinity;
  let ordered = true;
  for (let i = 0; i < pods.length; i++) {
    const qpi = await q.pop();
    if (qpi.podInfo.priority > last) ordered = false;
    last = qpi.podInfo.priority;
    q.done(qpi.podInfo.key);
  }
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  t.ok(ordered, 'popped in priority order');
  t.comment(`10,000 add+pop: ${ms.toFixed(1)} ms CPU`);
  // reported, not asserted: tests never judge time (bench:scheduler measures throughput)
});
