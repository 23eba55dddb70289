/**
 * A KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1, YAML or JSON) →
 * SchedulerConfig, with kube's v1 defaults: one profile "default-scheduler" when none is
 * given, percentageOfNodesToScore 0 (adaptive), podInitialBackoffSeconds 1,
 * podMaxBackoffSeconds 10.
 *
 * Every problem is reported (not just the first), each one line naming the field by its
 * path; see config-error.ts. Top-level fields k8ts has no use for (leaderElection,
 * clientConnection, parallelism, extenders, …) are accepted, so a file written for a
 * real kube-scheduler loads, and come back as warnings for the log.
 */
import { parse as parseYaml } from 'yaml';
import { isMapping, Problems, SchedulerConfigError, shown } from './config-error.js';
import { parsePercentage, parseProfile } from './parse-profile.js';
import { DEFAULT_SCHEDULER_NAME, type ProfileConfig, type SchedulerConfig } from './types.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const SCHEDULER_CONFIG_KIND = 'KubeSchedulerConfiguration';

export const DEFAULT_POD_INITIAL_BACKOFF_SECONDS = 1;
export const DEFAULT_POD_MAX_BACKOFF_SECONDS = 10;

const USED_TOP_LEVEL = ['apiVersion', 'kind', 'profiles', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds'];

export interface ParsedSchedulerConfig {
  config: SchedulerConfig;
  /** fields accepted but not used, one line each */
  warnings: string[];
}

export function defaultProfile(schedulerName = DEFAULT_SCHEDULER_NAME): ProfileConfig {
  return { schedulerName, multiPoint: { enabled: [], disabled: [] }, points: {}, pluginConfig: new Map() };
}

/** what the scheduler runs with when no file is given */
export function defaultSchedulerConfig(): SchedulerConfig {
  return {
    profiles: [defaultProfile()],
    percentageOfNodesToScore: 0,
    podInitialBackoffSeconds: DEFAULT_POD_INITIAL_BACKOFF_SECONDS,
    podMaxBackoffSeconds: DEFAULT_POD_MAX_BACKOFF_SECONDS,
  };
}

/** YAML's error messages run on with a code frame; the first line says what and where */
function yamlProblem(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return `not valid YAML or JSON: ${first.replace(/:$/, '')}`;
}

function parseBackoff(value: unknown, path: string, fallback: number, problems: Problems): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    problems.add(path, `must be a positive integer (seconds), got ${shown(value)}`);
    return fallback;
  }
  return value;
}

/**
 * Parse and validate. `knownPlugins` are the plugin names the scheduler's registry has;
 * naming any other plugin is an error. Throws SchedulerConfigError.
 */
export function parseSchedulerConfig(text: string, knownPlugins: Iterable<string>): ParsedSchedulerConfig {
  const known = new Set(knownPlugins);
  const problems = new Problems();
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new SchedulerConfigError([yamlProblem(err)]);
  }
  if (doc === null || doc === undefined) throw new SchedulerConfigError([`empty: expected a ${SCHEDULER_CONFIG_KIND}`]);
  if (!isMapping(doc)) throw new SchedulerConfigError([`expected a ${SCHEDULER_CONFIG_KIND} mapping, got ${shown(doc)}`]);

  if (doc.apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
    problems.add('apiVersion', doc.apiVersion === undefined ? `required (${SCHEDULER_CONFIG_API_VERSION})` : `must be ${SCHEDULER_CONFIG_API_VERSION}, got ${shown(doc.apiVersion)}`);
  }
  if (doc.kind !== SCHEDULER_CONFIG_KIND) {
    problems.add('kind', doc.kind === undefined ? `required (${SCHEDULER_CONFIG_KIND})` : `must be ${SCHEDULER_CONFIG_KIND}, got ${shown(doc.kind)}`);
  }

  const profiles: ProfileConfig[] = [];
  const rawProfiles = doc.profiles;
  if (rawProfiles !== undefined && rawProfiles !== null && !Array.isArray(rawProfiles)) problems.add('profiles', 'must be a list');
  else (rawProfiles ?? []).forEach((raw: unknown, i: number) => profiles.push(parseProfile(raw, `profiles[${i}]`, known, problems)));
  // kube's v1 defaulting: no profiles means one default profile
  if (profiles.length === 0) profiles.push(defaultProfile());

  const firstIndex = new Map<string, number>();
  profiles.forEach((p, i) => {
    const first = firstIndex.get(p.schedulerName);
    if (first === undefined) firstIndex.set(p.schedulerName, i);
    else problems.add(`profiles[${i}].schedulerName`, `duplicate ${shown(p.schedulerName)} (also profiles[${first}].schedulerName)`);
  });
  // one queue serves every profile, so they must sort it alike (kube's validateCommonQueueSort)
  const queueSort = (p: ProfileConfig) => JSON.stringify(p.points.queueSort ?? { enabled: [], disabled: [] });
  profiles.forEach((p, i) => {
    if (i > 0 && queueSort(p) !== queueSort(profiles[0]!)) problems.add(`profiles[${i}].plugins.queueSort`, 'must be the same for all profiles');
  });

  const percentageOfNodesToScore = parsePercentage(doc.percentageOfNodesToScore, 'percentageOfNodesToScore', problems) ?? 0;
  const podInitialBackoffSeconds = parseBackoff(doc.podInitialBackoffSeconds, 'podInitialBackoffSeconds', DEFAULT_POD_INITIAL_BACKOFF_SECONDS, problems);
  const podMaxBackoffSeconds = parseBackoff(doc.podMaxBackoffSeconds, 'podMaxBackoffSeconds', DEFAULT_POD_MAX_BACKOFF_SECONDS, problems);
  if (podMaxBackoffSeconds < podInitialBackoffSeconds) {
    problems.add('podMaxBackoffSeconds', `must be at least podInitialBackoffSeconds (${podInitialBackoffSeconds}), got ${podMaxBackoffSeconds}`);
  }
  problems.throwIfAny();

  const warnings = Object.keys(doc)
    .filter((key) => !USED_TOP_LEVEL.includes(key))
    .map((key) => `${key}: not used by k8ts, ignored`);
  return { config: { profiles, percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds }, warnings };
}
