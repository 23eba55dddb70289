/**
 * 410 Gone against a real API server: a reflector whose watch was down longer than the
 * store keeps history (compaction window shortened to 100 ms) cannot resume from its
 * resourceVersion; the server answers Expired, and the reflector lists again and tells
 * its handlers what happened in the gap — adds and deletes alike.
 */
import t from 'tap';
import { FakeClock } from '../clock.js';
import { startTestCluster } from '../rest/test-cluster.js';
import type { KubeObject } from '../types.js';
import { cuttableListWatch } from './cuttable-list-watch.js';
import { SharedInformer } from './shared-informer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

t.test('a watch gap longer than the history: 410, relist, nothing lost', async (t) => {
  const { client } = await startTestCluster(t, { storeCompactionWindowMs: 100 });
  const configMaps = client.resource('v1', 'ConfigMap');
  const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { test: 'relist' } } });
  await configMaps.create(cm('kept'));
  await configMaps.create(cm('doomed'));

  // the real client, with a switch to cut the open watch as a network failure would
  const lw = cuttableListWatch(client.resource('v1', 'ConfigMap'));
  const { source } = lw;

  const clock = new FakeClock(); // holds the reconnect back while the gap is made
  const informer = new SharedInformer({ source, clock, selection: { namespace: 'default', labelSelector: 'test=relist' }, backoff: { initialMs: 50, maxMs: 100 } });
  const log: string[] = [];
  informer.addEventHandler({ onAdd: (o) => log.push(`add ${o.metadata?.name}`), onDelete: (o) => log.push(`delete ${o.metadata?.name}`) });
  const stop = new AbortController();
  const run = informer.run(stop.signal);
  t.teardown(() => {
    stop.abort();
    return run;
  });
  t.equal(await informer.waitForSync(stop.signal), true);
  t.same(log.sort(), ['add doomed', 'add kept'], 'the first list');
  t.equal(lw.lists(), 1);

  await eventually(() => lw.cut !== undefined, 'the watch to open');
  lw.cut!();
  await eventually(() => clock.pending === 1, 'the reflector to wait out its backoff');
  await configMaps.create(cm('born-in-the-gap'));
  await configMaps.delete('doomed', { namespace: 'default' });
  // two compaction ticks: the revision the reflector resumes from is gone
  await sleep(350);
  await clock.advance(50);

  await eventually(() => lw.lists() === 2 && log.length === 4, 'the relist');
  t.same(lw.errorReasons, ['Expired'], 'the resumed watch was answered 410 Expired');
  t.same(log.slice(2).sort(), ['add born-in-the-gap', 'delete doomed'], 'the gap, as handlers see it');
  t.same(informer.lister().list().map((o) => o.metadata?.name).sort(), ['born-in-the-gap', 'kept'], 'the cache matches the server');
});
