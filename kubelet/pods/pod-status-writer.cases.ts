import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { kubeletSettings } from '../settings.js';
import { writePodStatus } from './pod-status-writer.js';
import type { PodRecord, SyncDeps } from './sync-context.js';
import { FakeApiError, FakePodClient } from './testing/fake-pod-client.js';

const pod: V1Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [] }, status: { phase: 'Pending', nominatedNodeName: 'n' } };

function setup(client: FakePodClient) {
  const deps = { client, clock: new FakeClock(), settings: kubeletSettings(), logger: pino({ level: 'silent' }) } as unknown as SyncDeps;
  const record: PodRecord = { uid: 'u1', pod: structuredClone(pod), terminationMessages: new Map(), probed: new Set(), forceRestart: new Set(), terminal: false, terminated: false, deleted: false };
  return { deps, record };
}

t.test('writes once, skips an equal status, clears only fields it wrote before', async (t) => {
  const client = new FakePodClient();
  client.put(pod);
  const { deps, record } = setup(client);
  t.equal(await writePodStatus(deps, record, { phase: 'Running', message: 'm' }), 'written');
  t.equal(await writePodStatus(deps, record, { message: 'm', phase: 'Running' }), 'unchanged', 'key order does not matter');
  t.equal(await writePodStatus(deps, record, { phase: 'Running' }), 'written');
  t.same(client.statusPatches.map((p) => p.patch), [{ status: { phase: 'Running', message: 'm' } }, { status: { phase: 'Running', message: null } }]);
  t.equal(client.pod('default', 'p')?.status?.nominatedNodeName, 'n', 'fields of others stay');
});

t.test('a status equal to the observed one is not written', async (t) => {
  const client = new FakePodClient();
  client.put(pod);
  const { deps, record } = setup(client);
  t.equal(await writePodStatus(deps, record, structuredClone(pod.status) as V1PodStatus), 'unchanged');
  t.equal(client.statusPatches.length, 0);
});

t.test('409: re-read and write again; 404: gone', async (t) => {
  const client = new FakePodClient();
  client.put(pod);
  const { deps, record } = setup(client);
  const pods = client.resource('v1', 'Pod');
  const patch = pods.patch.bind(pods);
  let conflicts = 1;
  const resource = client.resource.bind(client);
  client.resource = ((apiVersion: string, kind: string) => {
    const r = resource(apiVersion, kind);
    r.patch = async (...args: Parameters<typeof patch>) => {
      if (conflicts-- > 0) throw new FakeApiError(409, 'conflict');
      return patch(...args);
    };
    return r;
  }) as typeof client.resource;
  t.equal(await writePodStatus(deps, record, { phase: 'Running' }), 'written');
  client.pods.clear();
  t.equal(await writePodStatus(deps, record, { phase: 'Failed' }), 'gone');
});
