import t from 'tap';
import { K8TS_DEFAULT_PLUGINS, KUBE_DEFAULT_PLUGINS, KUBE_ONLY_PLUGIN_NAMES } from './default-plugins.js';

t.test("k8ts's defaults are kube's, in kube's order and weights, minus what k8ts lacks", async (t) => {
  t.same(K8TS_DEFAULT_PLUGINS, [
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'VolumeRestrictions' },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ]);
  for (const ref of KUBE_DEFAULT_PLUGINS) {
    const ours = K8TS_DEFAULT_PLUGINS.some((r) => r.name === ref.name);
    t.not(ours, KUBE_ONLY_PLUGIN_NAMES.has(ref.name), `${ref.name} is either k8ts's or kube-only`);
  }
  t.ok(KUBE_ONLY_PLUGIN_NAMES.has('VolumeBinding'));
  t.ok(KUBE_ONLY_PLUGIN_NAMES.has('SchedulingGates'));
});
