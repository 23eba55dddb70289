/**
 * The garbage collector end to end, with the real kubectl: ConfigMaps owned by a ConfigMap
 * through ownerReferences (kubectl apply), then `kubectl delete` with each --cascade:
 * background (dependents go after the owner), orphan (dependents stay, without the
 * reference; the owner goes), foreground (the owner stays, marked, until its blocking
 * dependents are gone). A dependent whose owner never existed is deleted, and a dependent
 * whose owner exists is never written to.
 */
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';

const VERSION = '1.33';

const configMap = (name: string, o: { owner?: { name: string; uid: string; block?: boolean }; finalizers?: string[] } = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      ...(o.owner
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.owner.name, uid: o.owner.uid, ...(o.owner.block !== undefined ? { blockOwnerDeletion: o.owner.block } : {}) }] }
        : {}),
      ...(o.finalizers ? { finalizers: o.finalizers } : {}),
    },
    data: { k: 'v' },
  });

/** applies an owner, then its dependents in one List; returns the owner's uid */
async function family(e: E2e, owner: string, dependents: Array<{ name: string; block?: boolean; finalizers?: string[] }>): Promise<string> {
  const uid = (await e.ok(['apply', '-f', '-', '-o', 'jsonpath={.metadata.uid}'], configMap(owner))).trim();
  const items = dependents.map((d) =>
    JSON.parse(configMap(d.name, { owner: { name: owner, uid, ...(d.block !== undefined ? { block: d.block } : {}) }, ...(d.finalizers ? { finalizers: d.finalizers } : {}) })),
  );
  await e.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return uid;
}

/** every ConfigMap in the default namespace by name: one kubectl call per poll */
const configMaps = async (e: E2e): Promise<Map<string, any>> => new Map(((await jsonOf(e, ['get', 'cm']))?.items ?? []).map((cm: any) => [cm.metadata.name, cm]));
const exists = async (e: E2e, name: string) => (await configMaps(e)).has(name);
/** true when all of `names` are gone (waits up to 15 s) */
async function allGone(e: E2e, names: string[]): Promise<boolean> {
  const cms = await until(() => configMaps(e), (cms) => names.every((n) => !cms.has(n)), 15_000);
  return names.every((n) => !cms.has(n));
}

t.test('the garbage collector with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(90_000);
  const e = await e2eCluster(t, VERSION, {
    nodes: 0,
    controllers: { leaderElection: false, only: ['garbage-collector'], garbageCollector: { rediscoveryPeriodMs: 0 } },
  });

  await t.test('background (the default): the dependents go after the owner', async (t) => {
    await family(e, 'bg-owner', [{ name: 'bg-a' }, { name: 'bg-b', block: true }]);
    await e.ok(['delete', 'cm', 'bg-owner']);
    t.ok(await allGone(e, ['bg-owner', 'bg-a', 'bg-b']), 'owner and dependents are gone');
  });

  await t.test('--cascade=orphan: the owner goes, the dependents stay without the reference', async (t) => {
    await family(e, 'or-owner', [{ name: 'or-a', block: true }, { name: 'or-b' }]);
    await e.ok(['delete', 'cm', 'or-owner', '--cascade=orphan']);
    const cms = await configMaps(e);
    t.notOk(cms.has('or-owner'), 'kubectl waited until the owner was gone');
    for (const name of ['or-a', 'or-b']) {
      t.ok(cms.has(name), `${name} stays`);
      t.equal(cms.get(name)?.metadata?.ownerReferences, undefined, `${name} lost its ownerReference`);
    }
  });

  await t.test('--cascade=foreground: the owner waits for its blocking dependents', async (t) => {
    // a blocking dependent that lingers (a finalizer of its own) holds the owner back
    await family(e, 'fg-owner', [{ name: 'fg-slow', block: true, finalizers: ['example.com/hold'] }, { name: 'fg-fast', block: false }]);
    await e.ok(['delete', 'cm', 'fg-owner', '--cascade=foreground', '--wait=false']);
    const marked = await until(
      async () => {
        const cms = await configMaps(e);
        return { owner: cms.get('fg-owner'), slow: cms.get('fg-slow'), fast: cms.has('fg-fast') };
      },
      (s) => Boolean(s.slow?.metadata?.deletionTimestamp) && !s.fast,
      15_000,
    );
    t.ok(marked.owner?.metadata?.deletionTimestamp, 'the owner exists with a deletionTimestamp');
    t.same(marked.owner?.metadata?.finalizers, ['foregroundDeletion']);
    t.ok(marked.slow?.metadata?.deletionTimestamp, 'the blocking dependent is being deleted');
    t.equal(marked.fast, false, 'the non-blocking dependent is gone');
    await sleep(300);
    t.ok(await exists(e, 'fg-owner'), 'still there while the blocker is');
    await e.ok(['patch', 'cm', 'fg-slow', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    t.ok(await allGone(e, ['fg-owner', 'fg-slow']), 'both gone once the blocker is');

    // with kubectl's --wait (the default), delete returns once the owner is gone
    await family(e, 'fg2-owner', [{ name: 'fg2-a', block: true }, { name: 'fg2-b', block: true }]);
    await e.ok(['delete', 'cm', 'fg2-owner', '--cascade=foreground', '--timeout=20s']);
    const after = await configMaps(e);
    t.notOk(after.has('fg2-owner'), 'the owner is gone when kubectl returns');
    t.notOk(after.has('fg2-a') || after.has('fg2-b'), 'its blocking dependents went first');
  });

  await t.test('a dependent whose owner does not exist is deleted', async (t) => {
    await e.ok(['apply', '-f', '-'], configMap('stray', { owner: { name: 'ghost', uid: '6f1f5a4e-0000-4000-8000-000000000000' } }));
    t.ok(await allGone(e, ['stray']));
  });

  await t.test('a dependent whose owner exists is left alone (no writes)', async (t) => {
    await family(e, 'live-owner', [{ name: 'live-a', block: true }]);
    const versions = async () => {
      const cms = await configMaps(e);
      return [cms.get('live-owner')?.metadata?.resourceVersion, cms.get('live-a')?.metadata?.resourceVersion];
    };
    const before = await versions();
    await sleep(500);
    t.same(await versions(), before, 'resourceVersions unchanged');
    t.equal((await configMaps(e)).get('live-a')?.metadata?.ownerReferences?.length, 1);
  });
});
