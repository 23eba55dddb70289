// preemptVictim and prepareCandidate with a recording client: which API calls each kind
// of victim gets (bound, only nominated, already terminating) and which nominations are cleared.
import { pino } from 'pino';
import t from 'tap';
import { newPodInfo } from '../../framework/node-info.js';
import { prepareCandidate, preemptVictim, type PreemptionWriter } from './prepare-candidate.js';
import { makePod, recordingClient } from './testing.js';

const preemptor = makePod({ name: 'p', priority: 100 });

function writer(fail: Record<string, Error> = {}) {
  const { client, calls } = recordingClient(fail);
  const events: string[] = [];
  const w: PreemptionWriter = {
    client,
    events: { event: (o, _type, reason, message) => events.push(`${o.metadata?.name} ${reason} ${message}`) },
    logger: pino({ level: 'silent' }),
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    profileName: 'my-profile',
  };
  return { w, calls, events };
}

t.test('victims by kind', async (t) => {
  const table = [
    { name: 'bound: condition, delete, event', victim: makePod({ name: 'v', priority: 1, node: 'n1' }), verbs: ['patch v status', 'delete v'], events: 1 },
    { name: 'only nominated: the nomination goes, the pod stays', victim: makePod({ name: 'v', priority: 1, nominated: 'n1' }), verbs: ['patch v status'], events: 0 },
    {
      name: 'the condition already there: only the delete',
      victim: { ...makePod({ name: 'v', priority: 1, node: 'n1' }), status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }] } },
      verbs: ['delete v'],
      events: 1,
    },
  ];
  for (const c of table) {
    const { w, calls, events } = writer();
    t.equal(await preemptVictim(w, preemptor, c.victim, 'n1'), undefined, c.name);
    t.same(calls.map((x) => [x.verb, x.name, x.subresource].filter(Boolean).join(' ')), c.verbs, c.name);
    t.equal(events.length, c.events, `${c.name}: events`);
  }
});

t.test('the nominated-only victim is cleared with a null nominatedNodeName', async (t) => {
  const { w, calls } = writer();
  await preemptVictim(w, preemptor, makePod({ name: 'v', priority: 1, nominated: 'n1' }), 'n1');
  t.same(calls[0]?.body, { status: { nominatedNodeName: null } });
});

t.test('the condition message names the preemptor\'s scheduler, else the profile', async (t) => {
  const { w, calls } = writer();
  const noScheduler = { ...preemptor, spec: { ...preemptor.spec!, schedulerName: '' } };
  await preemptVictim(w, noScheduler, makePod({ name: 'v', priority: 1, node: 'n1' }), 'n1');
  t.match(calls[0]?.body, { status: { conditions: [{ message: 'my-profile: preempting to accommodate a higher priority pod', lastTransitionTime: '2026-01-01T00:00:00.000Z' }] } });
});

t.test('prepareCandidate: terminating victims skipped; only lower-priority nominations cleared; a failed clear only logs', async (t) => {
  const { w, calls } = writer({ 'patch broken': new Error('boom') });
  const nominated = [
    makePod({ name: 'lower', priority: 5, nominated: 'n1' }),
    makePod({ name: 'broken', priority: 5, nominated: 'n1' }),
    makePod({ name: 'higher', priority: 500, nominated: 'n1' }),
    makePod({ name: 'same', priority: 100, nominated: 'n1' }),
  ].map(newPodInfo);
  const status = await prepareCandidate(
    w,
    { nominatedPodsForNode: (n) => (n === 'n1' ? nominated : []) },
    { nodeName: 'n1', victims: [makePod({ name: 'going', priority: 1, node: 'n1', deleting: true }), makePod({ name: 'v', priority: 1, node: 'n1' })], numPdbViolations: 0 },
    preemptor,
  );
  t.equal(status.code, 'Success');
  t.same(calls.map((x) => `${x.verb} ${x.name}`), ['patch v', 'delete v', 'patch lower', 'patch broken']);
});
