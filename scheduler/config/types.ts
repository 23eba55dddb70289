/**
 * The scheduler's configuration: the subset of KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1) k8ts reads — profiles, plugin enable/disable per
 * extension point (and multiPoint), score weights, plugin args, percentageOfNodesToScore,
 * backoff. parse-config.ts turns a file into this; the framework runtime resolves
 * multiPoint against the plugins' actual extension points.
 */

export const EXTENSION_POINTS = ['queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'bind', 'postBind'] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export interface PluginRef {
  name: string;
  /** score weight; only meaningful for score (and multiPoint) */
  weight?: number;
}

export interface PluginSet {
  enabled: PluginRef[];
  /** names; '*' disables every default plugin of that point */
  disabled: string[];
}

export interface ProfileConfig {
  schedulerName: string;
  /** 0..100; undefined = the scheduler-wide value */
  percentageOfNodesToScore?: number;
  /** multiPoint enables a plugin at every point it implements */
  multiPoint: PluginSet;
  points: Partial<Record<ExtensionPoint, PluginSet>>;
  /** plugin name → its args object (e.g. NodeResourcesFitArgs), as written */
  pluginConfig: Map<string, unknown>;
}

export interface SchedulerConfig {
  profiles: ProfileConfig[];
  /** 0 = kube's adaptive default (50 % minus nodes/125, at least 5 %) */
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
