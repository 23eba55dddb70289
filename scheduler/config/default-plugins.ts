/**
 * kube-scheduler's default plugins (KubeSchedulerConfiguration v1, getDefaultPlugins in
 * pkg/scheduler/apis/config/v1/default_plugins.go), all enabled through multiPoint, in
 * kube's order and with kube's score weights. The order matters: it is the order plugins
 * run at each point, and so which Filter plugin a node's rejection is reported by.
 *
 * k8ts implements a subset; K8TS_DEFAULT_PLUGINS is that subset (same order, same
 * weights), and is what a profile starts from. The rest are still named here so that a
 * configuration written for a real cluster (say one that disables VolumeBinding) is
 * understood: disabling one is a no-op, enabling one is a clear error.
 */
import type { PluginRef } from './types.js';

/** kube v1's multiPoint defaults (without the feature-gated DynamicResources) */
export const KUBE_DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/** the default plugins k8ts has */
export const K8TS_PLUGIN_NAMES: ReadonlySet<string> = new Set([
  'PrioritySort',
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'VolumeRestrictions',
  'PodTopologySpread',
  'InterPodAffinity',
  'DefaultPreemption',
  'NodeResourcesBalancedAllocation',
  'ImageLocality',
  'DefaultBinder',
]);

/** what a k8ts profile starts from: kube's defaults that k8ts implements, in kube's order */
export const K8TS_DEFAULT_PLUGINS: readonly PluginRef[] = KUBE_DEFAULT_PLUGINS.filter((ref) => K8TS_PLUGIN_NAMES.has(ref.name));

/**
 * kube-scheduler plugins that k8ts does not implement: the defaults above, the optional
 * DynamicResources, and the cloud volume-limit plugins v1 no longer accepts (a config
 * written for older clusters may still disable them). Disabling one is allowed and does
 * nothing; enabling one is an error.
 */
export const KUBE_ONLY_PLUGIN_NAMES: ReadonlySet<string> = new Set([
  ...KUBE_DEFAULT_PLUGINS.map((ref) => ref.name).filter((name) => !K8TS_PLUGIN_NAMES.has(name)),
  'DynamicResources',
  'EBSLimits',
  'GCEPDLimits',
  'AzureDiskLimits',
  'CinderLimits',
]);
