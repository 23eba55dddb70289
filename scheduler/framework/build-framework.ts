/**
 * A profile's Framework from its configuration: every plugin the profile names is built
 * once from the registry (with its pluginConfig args), the points are resolved against
 * what each plugin implements, and the Handle's filter runners are bound to the result.
 * A plugin that rejects its args throws here: the scheduler does not start with a broken profile.
 */
import type { PluginRef, ProfileConfig } from '../config/types.js';
import type { Registry } from '../plugins/registry.js';
import { POINT_METHOD, resolvePlugins } from './resolve-plugins.js';
import { Framework } from './runtime.js';
import type { Handle, Plugin } from './types.js';

export type HandleBase = Omit<Handle, 'runFilterPluginsWithNominatedPods' | 'runPreFilterExtensionAddPod' | 'runPreFilterExtensionRemovePod' | 'profileName'>;

export function buildFramework(profile: ProfileConfig, defaults: readonly PluginRef[], registry: Registry, base: HandleBase): Framework {
  let framework: Framework | undefined;
  const late = () => {
    if (!framework) throw new Error('the framework is still being built');
    return framework;
  };
  const handle: Handle = {
    ...base,
    profileName: profile.schedulerName,
    runFilterPluginsWithNominatedPods: (state, pod, nodeInfo) => late().runFilterPluginsWithNominatedPods(state, pod, nodeInfo),
    runPreFilterExtensionAddPod: (state, pod, info, nodeInfo) => late().runPreFilterExtensionAddPod(state, pod, info, nodeInfo),
    runPreFilterExtensionRemovePod: (state, pod, info, nodeInfo) => late().runPreFilterExtensionRemovePod(state, pod, info, nodeInfo),
  };
  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin => {
    let p = instances.get(name);
    if (!p) {
      const factory = registry.get(name);
      if (!factory) throw new Error(`profile ${profile.schedulerName}: unknown plugin ${JSON.stringify(name)}`);
      try {
        p = factory(profile.pluginConfig.get(name), handle);
      } catch (err) {
        throw new Error(`profile ${profile.schedulerName}: plugin ${name}: ${(err as Error).message}`, { cause: err });
      }
      instances.set(name, p);
    }
    return p;
  };
  const resolved = resolvePlugins(profile, defaults, (name, point) => typeof (instance(name) as unknown as Record<string, unknown>)[POINT_METHOD[point]] === 'function');
  // plugins named only at a point (not multiPoint) are built by then too
  for (const names of Object.values(resolved.points)) for (const n of names) instance(n);
  framework = new Framework(profile.schedulerName, instances, resolved, profile.percentageOfNodesToScore);
  if (!framework.queueSort) throw new Error(`profile ${profile.schedulerName}: no QueueSort plugin enabled`);
  if (framework.bind.length === 0) throw new Error(`profile ${profile.schedulerName}: no Bind plugin enabled`);
  return framework;
}
