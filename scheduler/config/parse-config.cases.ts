import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { resolvePlugins } from '../framework/resolve-plugins.js';
import { SchedulerConfigError } from './config-error.js';
import { K8TS_DEFAULT_PLUGINS, K8TS_PLUGIN_NAMES } from './default-plugins.js';
import { loadSchedulerConfig } from './load-config.js';
import { defaultSchedulerConfig, parseSchedulerConfig } from './parse-config.js';

const KNOWN = [...K8TS_PLUGIN_NAMES, 'MyPlugin'];
const HEAD = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';
const parse = (text: string) => parseSchedulerConfig(text, KNOWN);
/** the one-line message a bad file gets */
const problem = (text: string): string => {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof SchedulerConfigError) return err.message;
    throw err;
  }
  return 'no error';
};

t.test('defaults: one default-scheduler profile, adaptive percentage, 1 s / 10 s backoff', async (t) => {
  const { config, warnings } = parse(HEAD);
  t.same(config, defaultSchedulerConfig());
  t.same(config, {
    profiles: [{ schedulerName: 'default-scheduler', multiPoint: { enabled: [], disabled: [] }, points: {}, pluginConfig: new Map() }],
    percentageOfNodesToScore: 0,
    podInitialBackoffSeconds: 1,
    podMaxBackoffSeconds: 10,
  });
  t.same(warnings, []);
  // profiles: [] and a profile without a name default the same way (kube's v1 defaulting)
  t.same(parse(`${HEAD}profiles: []`).config.profiles.map((p) => p.schedulerName), ['default-scheduler']);
  t.same(parse(`${HEAD}profiles: [{}]`).config.profiles.map((p) => p.schedulerName), ['default-scheduler']);
});

t.test('a full file, YAML', async (t) => {
  const { config, warnings } = parse(`${HEAD}
percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
leaderElection:
  leaderElect: false
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
profiles:
  - schedulerName: default-scheduler
    plugins:
      multiPoint:
        enabled:
          - name: MyPlugin
            weight: 5
        disabled:
          - name: ImageLocality
          - name: VolumeBinding   # kube's, not k8ts's: disabling it is a no-op
      score:
        enabled:
          - name: NodeResourcesFit
            weight: 4
          - name: TaintToleration
            weight: 0             # 0 = the default weight
        disabled:
          - name: '*'
      preBind:
        disabled:
          - name: '*'             # a point k8ts lacks: ignored
    pluginConfig:
      - name: NodeResourcesFit
        args:
          apiVersion: kubescheduler.config.k8s.io/v1
          kind: NodeResourcesFitArgs
          scoringStrategy:
            type: MostAllocated
  - schedulerName: bin-packer
    percentageOfNodesToScore: 100
`);
  t.equal(config.percentageOfNodesToScore, 30);
  t.equal(config.podInitialBackoffSeconds, 2);
  t.equal(config.podMaxBackoffSeconds, 20);
  t.same(warnings, ['leaderElection: not used by k8ts, ignored', 'clientConnection: not used by k8ts, ignored']);
  const [first, second] = config.profiles;
  t.same(first?.multiPoint, { enabled: [{ name: 'MyPlugin', weight: 5 }], disabled: ['ImageLocality'] });
  t.same(first?.points, { score: { enabled: [{ name: 'NodeResourcesFit', weight: 4 }, { name: 'TaintToleration' }], disabled: ['*'] } });
  t.match(first?.pluginConfig.get('NodeResourcesFit'), { kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'MostAllocated' } });
  t.equal(first?.percentageOfNodesToScore, undefined);
  t.same({ name: second?.schedulerName, percentage: second?.percentageOfNodesToScore }, { name: 'bin-packer', percentage: 100 });

  // and the framework's merge of it onto the defaults: score is exactly what the file says
  const scorers = new Set(['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality', 'MyPlugin']);
  const resolved = resolvePlugins(first!, K8TS_DEFAULT_PLUGINS, (name, point) => point === 'score' && scorers.has(name));
  t.same(resolved.points.score, ['NodeResourcesFit', 'TaintToleration']);
  t.equal(resolved.weights.get('NodeResourcesFit'), 4);
  t.equal(resolved.weights.get('TaintToleration'), 3, 'weight 0 keeps the multiPoint weight');
});

t.test('JSON works too', async (t) => {
  const { config } = parse(
    JSON.stringify({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ schedulerName: 'a', plugins: { filter: { disabled: [{ name: 'NodePorts' }] } } }],
    }),
  );
  t.same(config.profiles[0]?.points, { filter: { enabled: [], disabled: ['NodePorts'] } });
});

t.test('every mistake is one line naming the field', async (t) => {
  const known = 'known: DefaultBinder, DefaultPreemption, ImageLocality, InterPodAffinity, MyPlugin, NodeAffinity, NodeName, NodePorts, NodeResourcesBalancedAllocation, NodeResourcesFit, NodeUnschedulable, PodTopologySpread, PrioritySort, TaintToleration, VolumeRestrictions';
  // [file, the whole message]
  const cases: Array<[string, string]> = [
    ['', 'empty: expected a KubeSchedulerConfiguration'],
    ['- a\n- b', 'expected a KubeSchedulerConfiguration mapping, got ["a","b"]'],
    ['a: [1, 2', 'not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 9'],
    ['{"apiVersion": ', 'not valid YAML or JSON: Flow map must end with a } at line 1, column 16'],
    ['kind: KubeSchedulerConfiguration', 'apiVersion: required (kubescheduler.config.k8s.io/v1)'],
    ['apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration', 'apiVersion: must be kubescheduler.config.k8s.io/v1, got "kubescheduler.config.k8s.io/v1beta3"'],
    ['apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeletConfiguration', 'kind: must be KubeSchedulerConfiguration, got "KubeletConfiguration"'],
    [`${HEAD}percentageOfNodesToScore: 101`, 'percentageOfNodesToScore: must be an integer from 0 to 100 (0 = adaptive), got 101'],
    [`${HEAD}percentageOfNodesToScore: -1`, 'percentageOfNodesToScore: must be an integer from 0 to 100 (0 = adaptive), got -1'],
    [`${HEAD}percentageOfNodesToScore: "50"`, 'percentageOfNodesToScore: must be an integer from 0 to 100 (0 = adaptive), got "50"'],
    [`${HEAD}profiles: [{percentageOfNodesToScore: 1.5}]`, 'profiles[0].percentageOfNodesToScore: must be an integer from 0 to 100 (0 = adaptive), got 1.5'],
    [`${HEAD}podInitialBackoffSeconds: -1`, 'podInitialBackoffSeconds: must be a positive integer (seconds), got -1'],
    [`${HEAD}podInitialBackoffSeconds: 0`, 'podInitialBackoffSeconds: must be a positive integer (seconds), got 0'],
    [`${HEAD}podMaxBackoffSeconds: -5`, 'podMaxBackoffSeconds: must be a positive integer (seconds), got -5'],
    [`${HEAD}podInitialBackoffSeconds: 20`, 'podMaxBackoffSeconds: must be at least podInitialBackoffSeconds (20), got 10'],
    [`${HEAD}profiles: {schedulerName: a}`, 'profiles: must be a list'],
    [`${HEAD}profiles: [{schedulerName: a}, {schedulerName: b}, {schedulerName: a}]`, 'profiles[2].schedulerName: duplicate "a" (also profiles[0].schedulerName)'],
    [`${HEAD}profiles: [{}, {schedulerName: default-scheduler}]`, 'profiles[1].schedulerName: duplicate "default-scheduler" (also profiles[0].schedulerName)'],
    [`${HEAD}profiles: [{schedulerName: 7}]`, 'profiles[0].schedulerName: must be a string, got 7'],
    [`${HEAD}profiles: [{plugin: {}}]`, 'profiles[0].plugin: unknown field (expected one of schedulerName, percentageOfNodesToScore, plugins, pluginConfig)'],
    [`${HEAD}profiles: [{plugins: {scoring: {}}}]`, 'profiles[0].plugins.scoring: unknown extension point (expected one of multiPoint, queueSort, preFilter, filter, postFilter, preScore, score, reserve, permit, bind, postBind, preEnqueue, preBind)'],
    [`${HEAD}profiles: [{plugins: {score: {enable: []}}}]`, 'profiles[0].plugins.score.enable: unknown field (expected one of enabled, disabled)'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: {name: X}}}}]`, 'profiles[0].plugins.score.enabled: must be a list'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [NodeResourcesFit]}}}]`, 'profiles[0].plugins.score.enabled[0]: must be a mapping like {name: NodeResourcesFit}, got "NodeResourcesFit"'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{weight: 2}]}}}]`, 'profiles[0].plugins.score.enabled[0].name: required'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{name: NodeResourcesFit}, {name: Nope}]}}}]`, `profiles[0].plugins.score.enabled[1].name: unknown plugin "Nope" (${known})`],
    [`${HEAD}profiles: [{plugins: {score: {disabled: [{name: Nope}]}}}]`, `profiles[0].plugins.score.disabled[0].name: unknown plugin "Nope" (${known})`],
    [`${HEAD}profiles: [{plugins: {multiPoint: {enabled: [{name: VolumeBinding}]}}}]`, `profiles[0].plugins.multiPoint.enabled[0].name: k8ts does not implement kube-scheduler's plugin "VolumeBinding"`],
    [`${HEAD}profiles: [{plugins: {preBind: {enabled: [{name: MyPlugin}]}}}]`, 'profiles[0].plugins.preBind.enabled[0].name: k8ts has no preBind extension point'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{name: ImageLocality}, {name: NodeResourcesFit, weight: -1}]}}}]`, 'profiles[0].plugins.score.enabled[1].weight: must be a positive integer, got -1'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{name: ImageLocality, weight: 1.5}]}}}]`, 'profiles[0].plugins.score.enabled[0].weight: must be a positive integer, got 1.5'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{name: ImageLocality, weight: "2"}]}}}]`, 'profiles[0].plugins.score.enabled[0].weight: must be a positive integer, got "2"'],
    [`${HEAD}profiles: [{plugins: {score: {enabled: [{name: ImageLocality}, {name: ImageLocality}]}}}]`, 'profiles[0].plugins.score.enabled[1].name: plugin "ImageLocality" is enabled twice'],
    [`${HEAD}profiles: [{plugins: {queueSort: {enabled: [{name: PrioritySort}, {name: MyPlugin}]}}}]`, 'profiles[0].plugins.queueSort.enabled: only one queue sort plugin can be enabled'],
    [`${HEAD}profiles: [{schedulerName: a}, {schedulerName: b, plugins: {queueSort: {disabled: [{name: '*'}]}}}]`, 'profiles[1].plugins.queueSort: must be the same for all profiles'],
    [`${HEAD}profiles: [{pluginConfig: {name: NodeResourcesFit}}]`, 'profiles[0].pluginConfig: must be a list of {name, args}'],
    [`${HEAD}profiles: [{pluginConfig: [{name: Nope, args: {}}]}]`, `profiles[0].pluginConfig[0].name: unknown plugin "Nope" (${known})`],
    [`${HEAD}profiles: [{pluginConfig: [{name: ImageLocality}, {name: ImageLocality}]}]`, 'profiles[0].pluginConfig[1].name: duplicate args for plugin "ImageLocality"'],
    [`${HEAD}profiles: [{pluginConfig: [{name: NodeResourcesFit, args: [1]}]}]`, 'profiles[0].pluginConfig[0].args: must be a mapping, got [1]'],
    [`${HEAD}profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {kind: InterPodAffinityArgs}}]}]`, 'profiles[0].pluginConfig[0].args.kind: must be NodeResourcesFitArgs, got "InterPodAffinityArgs"'],
    // several problems: all of them, still on one line
    [`apiVersion: v1\n${HEAD.split('\n')[1]}\npercentageOfNodesToScore: 200`, 'apiVersion: must be kubescheduler.config.k8s.io/v1, got "v1"; percentageOfNodesToScore: must be an integer from 0 to 100 (0 = adaptive), got 200'],
  ];
  for (const [text, message] of cases) {
    const got = problem(text);
    t.equal(got, message, text.replace(HEAD, '').replace(/\n/g, ' | '));
    t.notMatch(got, /\n/);
  }
});

t.test('loadSchedulerConfig reads a file; a missing one is a config error too', async (t) => {
  const dir = t.testdir({ 'ok.yaml': `${HEAD}percentageOfNodesToScore: 7\n` });
  t.equal((await loadSchedulerConfig(join(dir, 'ok.yaml'), KNOWN)).config.percentageOfNodesToScore, 7);
  await t.rejects(loadSchedulerConfig(join(dir, 'missing.yaml'), KNOWN), new SchedulerConfigError(['no such file']));
  await writeFile(join(dir, 'bad.yaml'), `${HEAD}podMaxBackoffSeconds: 0\n`);
  await t.rejects(loadSchedulerConfig(join(dir, 'bad.yaml'), KNOWN), { message: 'podMaxBackoffSeconds: must be a positive integer (seconds), got 0' });
});
