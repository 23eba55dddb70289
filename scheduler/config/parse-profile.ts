/**
 * One entry of KubeSchedulerConfiguration.profiles → ProfileConfig: schedulerName,
 * percentageOfNodesToScore, plugins (multiPoint and every extension point: enabled with
 * optional weight, disabled by name or '*') and pluginConfig (args kept as written, for
 * the plugin's factory to read).
 *
 * Inside a profile unknown fields are errors, unlike at the top level: a typo there
 * ("plugin:", "enable:") would otherwise silently run the defaults.
 */
import { KUBE_ONLY_PLUGIN_NAMES } from './default-plugins.js';
import { isMapping, shown, type Problems } from './config-error.js';
import { DEFAULT_SCHEDULER_NAME, EXTENSION_POINTS, type ExtensionPoint, type PluginRef, type PluginSet, type ProfileConfig } from './types.js';

/** kube-scheduler extension points k8ts does not have: disabling there is a no-op, enabling an error */
const KUBE_ONLY_POINTS: ReadonlySet<string> = new Set(['preEnqueue', 'preBind']);
const PLUGIN_KEYS = ['multiPoint', ...EXTENSION_POINTS, ...KUBE_ONLY_POINTS];

function checkFields(value: Record<string, unknown>, path: string, allowed: readonly string[], problems: Problems): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.add(`${path}.${key}`, `unknown field (expected one of ${allowed.join(', ')})`);
  }
}

/** 0..100, or undefined when absent */
export function parsePercentage(value: unknown, path: string, problems: Problems): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    problems.add(path, `must be an integer from 0 to 100 (0 = adaptive), got ${shown(value)}`);
    return undefined;
  }
  return value;
}

/** why a plugin name cannot be used, or undefined when it can */
function unusable(name: string, known: ReadonlySet<string>, disabling: boolean): string | undefined {
  if (known.has(name)) return undefined;
  if (KUBE_ONLY_PLUGIN_NAMES.has(name)) return disabling ? undefined : `k8ts does not implement kube-scheduler's plugin ${shown(name)}`;
  const list = [...known].sort().join(', ');
  return `unknown plugin ${shown(name)} (known: ${list})`;
}

function parseName(value: unknown, path: string, problems: Problems): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  problems.add(path, value === undefined ? 'required' : `must be a plugin name, got ${shown(value)}`);
  return undefined;
}

function parsePluginSet(value: unknown, path: string, point: string, known: ReadonlySet<string>, problems: Problems): PluginSet {
  const set: PluginSet = { enabled: [], disabled: [] };
  if (value === undefined || value === null) return set;
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping with enabled and disabled lists');
    return set;
  }
  checkFields(value, path, ['enabled', 'disabled'], problems);

  const list = (key: 'enabled' | 'disabled'): unknown[] => {
    const raw = value[key];
    if (raw === undefined || raw === null) return [];
    if (Array.isArray(raw)) return raw;
    problems.add(`${path}.${key}`, 'must be a list');
    return [];
  };

  const seen = new Set<string>();
  list('enabled').forEach((entry, i) => {
    const at = `${path}.enabled[${i}]`;
    if (!isMapping(entry)) return problems.add(at, `must be a mapping like {name: NodeResourcesFit}, got ${shown(entry)}`);
    checkFields(entry, at, ['name', 'weight'], problems);
    const name = parseName(entry.name, `${at}.name`, problems);
    if (name === undefined) return;
    if (KUBE_ONLY_POINTS.has(point)) return problems.add(`${at}.name`, `k8ts has no ${point} extension point`);
    const why = unusable(name, known, false);
    if (why) return problems.add(`${at}.name`, why);
    if (seen.has(name)) return problems.add(`${at}.name`, `plugin ${shown(name)} is enabled twice`);
    seen.add(name);
    const ref: PluginRef = { name };
    const weight = entry.weight;
    // kube's v1 weight is an optional int32; 0 means "the default" (the plugin's multiPoint weight, else 1)
    if (weight !== undefined && weight !== null) {
      if (typeof weight !== 'number' || !Number.isSafeInteger(weight) || weight < 0) problems.add(`${at}.weight`, `must be a positive integer, got ${shown(weight)}`);
      else if (weight > 0) ref.weight = weight;
    }
    set.enabled.push(ref);
  });

  list('disabled').forEach((entry, i) => {
    const at = `${path}.disabled[${i}]`;
    if (!isMapping(entry)) return problems.add(at, `must be a mapping like {name: NodeResourcesFit} or {name: '*'}, got ${shown(entry)}`);
    checkFields(entry, at, ['name'], problems);
    const name = parseName(entry.name, `${at}.name`, problems);
    if (name === undefined) return;
    const why = name === '*' ? undefined : unusable(name, known, true);
    if (why) return problems.add(`${at}.name`, why);
    // disabling at a point k8ts does not have, or a plugin k8ts does not have, changes nothing
    if (!KUBE_ONLY_POINTS.has(point) && !KUBE_ONLY_PLUGIN_NAMES.has(name)) set.disabled.push(name);
  });
  return set;
}

function parsePlugins(value: unknown, path: string, known: ReadonlySet<string>, problems: Problems): Pick<ProfileConfig, 'multiPoint' | 'points'> {
  const out: Pick<ProfileConfig, 'multiPoint' | 'points'> = { multiPoint: { enabled: [], disabled: [] }, points: {} };
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) {
    problems.add(path, 'must be a mapping of extension points');
    return out;
  }
  for (const [key, raw] of Object.entries(value)) {
    if (!PLUGIN_KEYS.includes(key)) {
      problems.add(`${path}.${key}`, `unknown extension point (expected one of ${PLUGIN_KEYS.join(', ')})`);
      continue;
    }
    const set = parsePluginSet(raw, `${path}.${key}`, key, known, problems);
    if (key === 'multiPoint') out.multiPoint = set;
    else if (!KUBE_ONLY_POINTS.has(key)) out.points[key as ExtensionPoint] = set;
  }
  if ((out.points.queueSort?.enabled.length ?? 0) > 1) problems.add(`${path}.queueSort.enabled`, 'only one queue sort plugin can be enabled');
  return out;
}

function parsePluginConfig(value: unknown, path: string, known: ReadonlySet<string>, problems: Problems): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) {
    problems.add(path, 'must be a list of {name, args}');
    return out;
  }
  value.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (!isMapping(entry)) return problems.add(at, `must be a mapping like {name: NodeResourcesFit, args: {...}}, got ${shown(entry)}`);
    checkFields(entry, at, ['name', 'args'], problems);
    const name = parseName(entry.name, `${at}.name`, problems);
    if (name === undefined) return;
    const why = unusable(name, known, true);
    if (why) return problems.add(`${at}.name`, why);
    if (out.has(name)) return problems.add(`${at}.name`, `duplicate args for plugin ${shown(name)}`);
    const args = entry.args ?? {};
    if (!isMapping(args)) return problems.add(`${at}.args`, `must be a mapping, got ${shown(args)}`);
    // kube checks the args' type against the plugin's; written out, that is kind: <Plugin>Args
    if (args.kind !== undefined && args.kind !== `${name}Args`) return problems.add(`${at}.args.kind`, `must be ${name}Args, got ${shown(args.kind)}`);
    out.set(name, args);
  });
  return out;
}

export function parseProfile(value: unknown, path: string, known: ReadonlySet<string>, problems: Problems): ProfileConfig {
  const profile: ProfileConfig = {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    multiPoint: { enabled: [], disabled: [] },
    points: {},
    pluginConfig: new Map(),
  };
  if (!isMapping(value)) {
    problems.add(path, `must be a mapping with schedulerName, plugins, pluginConfig, got ${shown(value)}`);
    return profile;
  }
  checkFields(value, path, ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig'], problems);
  const name = value.schedulerName;
  // kube's v1 defaulting: an empty or missing schedulerName is default-scheduler
  if (typeof name === 'string' && name !== '') profile.schedulerName = name;
  else if (name !== undefined && name !== null && name !== '') problems.add(`${path}.schedulerName`, `must be a string, got ${shown(name)}`);
  const percentage = parsePercentage(value.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`, problems);
  if (percentage !== undefined) profile.percentageOfNodesToScore = percentage;
  Object.assign(profile, parsePlugins(value.plugins, `${path}.plugins`, known, problems));
  profile.pluginConfig = parsePluginConfig(value.pluginConfig, `${path}.pluginConfig`, known, problems);
  return profile;
}
