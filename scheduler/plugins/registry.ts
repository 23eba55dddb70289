/**
 * Every in-tree plugin by its kube-scheduler name: the one place a profile's plugin names
 * are turned into plugins (kube's plugins/registry.go).
 */
import type { PluginFactory } from '../framework/types.js';
import * as defaultBinder from './default-binder/index.js';
import * as defaultPreemption from './default-preemption/index.js';
import * as imageLocality from './image-locality/index.js';
import * as interPodAffinity from './inter-pod-affinity/index.js';
import * as nodeAffinity from './node-affinity/index.js';
import * as nodeName from './node-name/index.js';
import * as nodePorts from './node-ports/index.js';
import * as balancedAllocation from './node-resources-balanced-allocation/index.js';
import * as nodeResourcesFit from './node-resources-fit/index.js';
import * as nodeUnschedulable from './node-unschedulable/index.js';
import * as podTopologySpread from './pod-topology-spread/index.js';
import * as prioritySort from './priority-sort/index.js';
import * as taintToleration from './taint-toleration/index.js';
import * as volumeRestrictions from './volume-restrictions/index.js';

export type Registry = ReadonlyMap<string, PluginFactory>;

const plugins: Array<{ NAME: string; factory: PluginFactory }> = [
  prioritySort,
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeRestrictions,
  podTopologySpread,
  interPodAffinity,
  defaultPreemption,
  balancedAllocation,
  imageLocality,
  defaultBinder,
];

export const inTreeRegistry: Registry = new Map(plugins.map((p) => [p.NAME, p.factory]));
