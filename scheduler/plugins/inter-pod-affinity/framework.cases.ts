/**
 * InterPodAffinity inside a real Framework (build-framework.ts + runtime.ts): the points
 * it implements are found, Skip from PreFilter/PreScore is honoured, and nominated pods
 * reach its PreFilterExtensions through runFilterPluginsWithNominatedPods — a pod
 * nominated to a node counts for anti-affinity exactly as if it ran there.
 */
import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { buildFramework } from '../../framework/build-framework.js';
import { CycleState } from '../../framework/cycle-state.js';
import { newPodInfo, type PodInfo } from '../../framework/node-info.js';
import { skip, success } from '../../framework/status.js';
import type { BindPlugin, PluginFactory, QueueSortPlugin } from '../../framework/types.js';
import type { ProfileConfig } from '../../config/types.js';
import { ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH } from './filtering.js';
import { factory, NAME } from './index.js';
import { fakeHandle, node, nodeInfos, pod, term } from './testing.js';

const HOST = 'kubernetes.io/hostname';

const sortFactory: PluginFactory = () => ({ name: 'Sort', less: () => false }) satisfies QueueSortPlugin;
const bindFactory: PluginFactory = () => ({ name: 'Bind', bind: async () => skip() }) satisfies BindPlugin;

function frameworkWith(infos: ReturnType<typeof nodeInfos>, nominated: Map<string, PodInfo[]>) {
  const profile: ProfileConfig = {
    schedulerName: 'test',
    multiPoint: { enabled: [{ name: 'Sort' }, { name: NAME, weight: 2 }, { name: 'Bind' }], disabled: [] },
    points: {},
    pluginConfig: new Map(),
  };
  const { runFilterPluginsWithNominatedPods: _a, runPreFilterExtensionAddPod: _b, runPreFilterExtensionRemovePod: _c, profileName: _d, ...base } = fakeHandle(infos);
  const fw = buildFramework(profile, [], new Map([['Sort', sortFactory], [NAME, factory], ['Bind', bindFactory]]), {
    ...base,
    nominator: { nominatedPodsForNode: (name) => nominated.get(name) ?? [] },
  });
  fw.setNominator({ nominatedPodsForNode: (name) => nominated.get(name) ?? [] });
  return fw;
}

t.test('resolved at PreFilter, Filter, PreScore and Score, with its events', async (t) => {
  const fw = frameworkWith(nodeInfos([node('n1')]), new Map());
  t.same([fw.preFilter, fw.filter, fw.preScore, fw.score].map((ps) => ps.map((p) => p.name)), [[NAME], [NAME], [NAME], [NAME]]);
  t.equal(fw.eventsToRegister().get(NAME)?.length, 5);
});

t.test('a nominated replica blocks its node for a pod with anti-affinity', async (t) => {
  const infos = nodeInfos([node('n1'), node('n2')]);
  // uids matter: the runtime leaves out a nominated pod with the incoming pod's uid
  const withUid = (p: V1Pod, uid: string): V1Pod => ({ ...p, metadata: { ...p.metadata, uid } });
  const nominatedReplica = newPodInfo({ ...withUid(pod({ labels: { app: 'web' } }), 'uid-replica'), status: { nominatedNodeName: 'n1' } });
  const fw = frameworkWith(infos, new Map([['n1', [nominatedReplica]]]));
  const incoming = withUid(pod({ labels: { app: 'web' }, antiAffinity: [term({ app: 'web' }, HOST)] }), 'uid-incoming');
  const state = new CycleState();
  t.equal(fw.runPreFilterPlugins(state, incoming, infos).status.code, 'Success');
  const n1 = fw.runFilterPluginsWithNominatedPods(state, incoming, infos[0]!);
  t.same([n1.code, n1.reasons], ['Unschedulable', [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]]);
  t.equal(fw.runFilterPluginsWithNominatedPods(state, incoming, infos[1]!).code, 'Success');
  t.equal(fw.runFilterPlugins(state, incoming, infos[0]!).code, 'Success', 'without the nominated pod n1 is free');
});

t.test('a pod without terms: PreFilter and PreScore skip, scoring leaves it out', async (t) => {
  const infos = nodeInfos([node('n1'), node('n2')], [pod({ labels: { app: 'db' }, nodeName: 'n1' })]);
  const fw = frameworkWith(infos, new Map());
  const plain = pod({ labels: { app: 'web' } });
  const state = new CycleState();
  t.equal(fw.runPreFilterPlugins(state, plain, infos).status.code, 'Success');
  t.ok(state.skipFilterPlugins.has(NAME));
  t.equal(fw.runFilterPlugins(state, plain, infos[0]!), success());
  t.equal(fw.runPreScorePlugins(state, plain, infos).code, 'Success');
  t.ok(state.skipScorePlugins.has(NAME));
  const scored = fw.runScorePlugins(state, plain, infos);
  t.same(scored.result?.totals, [
    { name: 'n1', score: 0 },
    { name: 'n2', score: 0 },
  ]);
});

t.test('preferred affinity scores are normalized and weighted', async (t) => {
  const infos = nodeInfos([node('n1'), node('n2')], [pod({ labels: { app: 'db' }, nodeName: 'n2' })]);
  const fw = frameworkWith(infos, new Map());
  const p = pod({ preferredAffinity: [{ weight: 10, podAffinityTerm: term({ app: 'db' }, HOST) }] });
  const state = new CycleState();
  t.equal(fw.runPreScorePlugins(state, p, infos).code, 'Success');
  t.same(fw.runScorePlugins(state, p, infos).result?.totals, [
    { name: 'n1', score: 0 },
    { name: 'n2', score: 200 },
  ]);
});
