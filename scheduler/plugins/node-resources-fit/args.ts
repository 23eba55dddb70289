/**
 * NodeResourcesFitArgs (kubescheduler.config.k8s.io/v1) as written in a profile's
 * pluginConfig, defaulted and validated the way kube-scheduler does:
 *
 *   ignoredResources: [example.com/foo]      extended resources Filter does not check
 *   ignoredResourceGroups: [example.com]     … or whole groups of them (no '/')
 *   scoringStrategy:
 *     type: LeastAllocated | MostAllocated | RequestedToCapacityRatio   (default LeastAllocated)
 *     resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]    (the default; weight 0/missing = 1, max 100)
 *     requestedToCapacityRatio:
 *       shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]  (utilization 0..100 increasing, score 0..10)
 *
 * A bad value is a configuration error: validateArgs throws one Error naming every bad
 * field, so the scheduler refuses to start instead of scheduling with a guess.
 */
import { isQualifiedName } from './resource-names.js';

export const SCORING_STRATEGY_TYPES = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'] as const;
export type ScoringStrategyType = (typeof SCORING_STRATEGY_TYPES)[number];

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface UtilizationShapePoint {
  /** percent of the resource requested, 0..100 */
  utilization: number;
  /** 0..MAX_CUSTOM_PRIORITY_SCORE; scaled to 0..100 when scoring */
  score: number;
}

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

/** the top of a shape's score scale (kube's config.MaxCustomPriorityScore) */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_RESOURCE_WEIGHT = 100;

export const defaultResourceSpecs = (): ResourceSpec[] => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export const defaultFitArgs = (): NodeResourcesFitArgs => ({
  ignoredResources: [],
  ignoredResourceGroups: [],
  scoringStrategy: { type: 'LeastAllocated', resources: defaultResourceSpecs() },
});

/** collects "path: message" problems so the user sees all of them at once */
export class ArgErrors {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  throwIfAny(plugin: string): void {
    if (this.list.length) throw new Error(`${plugin} args: ${this.list.join('; ')}`);
  }
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kube decodes plugin args strictly: a misspelt field is an error, not silently ignored */
export function checkKnownFields(obj: Record<string, unknown>, path: string, known: readonly string[], errs: ArgErrors): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) errs.add(path ? `${path}.${key}` : key, 'unknown field');
  }
}

function stringList(v: unknown, path: string, errs: ArgErrors): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.add(path, `Invalid value: ${show(v)}: must be a list of strings`);
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string') errs.add(`${path}[${i}]`, `Invalid value: ${show(s)}: must be a string`);
    else out.push(s);
  });
  return out;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * A resources list ([{name, weight}]), defaulted: an empty or missing list is cpu+memory,
 * a missing or zero weight is 1. The weight range is the caller's rule.
 */
export function parseResourceSpecs(v: unknown, path: string, errs: ArgErrors): ResourceSpec[] {
  if (v === undefined || v === null) return defaultResourceSpecs();
  if (!Array.isArray(v)) {
    errs.add(path, `Invalid value: ${show(v)}: must be a list of {name, weight}`);
    return [];
  }
  if (v.length === 0) return defaultResourceSpecs();
  const out: ResourceSpec[] = [];
  v.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(item)) {
      errs.add(at, `Invalid value: ${show(item)}: must be {name, weight}`);
      return;
    }
    checkKnownFields(item, at, ['name', 'weight'], errs);
    if (typeof item.name !== 'string' || item.name === '') {
      errs.add(`${at}.name`, 'Required value: a resource name');
      return;
    }
    const weight = item.weight ?? 0;
    if (!isInteger(weight)) {
      errs.add(`${at}.weight`, `Invalid value: ${show(weight)}: must be an integer`);
      return;
    }
    out.push({ name: item.name, weight: weight === 0 ? 1 : weight });
  });
  return out;
}

function parseShape(v: unknown, path: string, errs: ArgErrors): UtilizationShapePoint[] {
  if (!Array.isArray(v) || v.length === 0) {
    errs.add(path, 'Required value: at least one point must be specified');
    return [];
  }
  const shape: UtilizationShapePoint[] = [];
  v.forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(p)) {
      errs.add(at, `Invalid value: ${show(p)}: must be {utilization, score}`);
      return;
    }
    checkKnownFields(p, at, ['utilization', 'score'], errs);
    const utilization = p.utilization ?? 0;
    const score = p.score ?? 0;
    if (!isInteger(utilization) || utilization < 0 || utilization > 100) errs.add(`${at}.utilization`, `Invalid value: ${show(utilization)}: not in valid range [0, 100]`);
    if (!isInteger(score) || score < 0 || score > MAX_CUSTOM_PRIORITY_SCORE)
      errs.add(`${at}.score`, `Invalid value: ${show(score)}: not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`);
    shape.push({ utilization: utilization as number, score: score as number });
  });
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1]!.utilization >= shape[i]!.utilization) {
      errs.add(`${path}[${i}].utilization`, `Invalid value: ${shape[i]!.utilization}: utilization values must be sorted in increasing order`);
      break;
    }
  }
  return shape;
}

function parseScoringStrategy(v: unknown, errs: ArgErrors): ScoringStrategy {
  const path = 'scoringStrategy';
  if (v === undefined || v === null) return defaultFitArgs().scoringStrategy;
  if (!isPlainObject(v)) {
    errs.add(path, `Invalid value: ${show(v)}: must be an object`);
    return defaultFitArgs().scoringStrategy;
  }
  checkKnownFields(v, path, ['type', 'resources', 'requestedToCapacityRatio'], errs);
  const type = v.type as ScoringStrategyType;
  if (!SCORING_STRATEGY_TYPES.includes(type)) {
    errs.add(`${path}.type`, `Unsupported value: ${show(v.type ?? '')}: supported values: ${SCORING_STRATEGY_TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  const resources = parseResourceSpecs(v.resources, `${path}.resources`, errs);
  resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > MAX_RESOURCE_WEIGHT)
      errs.add(`${path}.resources[${i}].weight`, `Invalid value: ${r.weight}: resource weight of ${r.name} not in valid range (0, ${MAX_RESOURCE_WEIGHT}]`);
  });
  const strategy: ScoringStrategy = { type, resources };
  const ratio = v.requestedToCapacityRatio;
  if (ratio !== undefined && ratio !== null) {
    if (!isPlainObject(ratio)) errs.add(`${path}.requestedToCapacityRatio`, `Invalid value: ${show(ratio)}: must be {shape: [...]}`);
    else {
      checkKnownFields(ratio, `${path}.requestedToCapacityRatio`, ['shape'], errs);
      strategy.requestedToCapacityRatio = { shape: parseShape(ratio.shape, `${path}.requestedToCapacityRatio.shape`, errs) };
    }
  } else if (type === 'RequestedToCapacityRatio') {
    // kube would dereference a missing shape and crash; say what is missing instead
    errs.add(`${path}.requestedToCapacityRatio.shape`, 'Required value: at least one point must be specified');
  }
  return strategy;
}

/**
 * The args object from pluginConfig (undefined: all defaults) as NodeResourcesFitArgs,
 * or an Error naming every bad field.
 */
export function validateArgs(raw: unknown): NodeResourcesFitArgs {
  const errs = new ArgErrors();
  if (raw === undefined || raw === null) return defaultFitArgs();
  if (!isPlainObject(raw)) throw new Error(`NodeResourcesFit args: expected an object (NodeResourcesFitArgs), got ${show(raw)}`);
  checkKnownFields(raw, '', ['apiVersion', 'kind', 'ignoredResources', 'ignoredResourceGroups', 'scoringStrategy'], errs);

  const ignoredResources = stringList(raw.ignoredResources, 'ignoredResources', errs);
  ignoredResources.forEach((name, i) => {
    if (!isQualifiedName(name)) errs.add(`ignoredResources[${i}]`, `Invalid value: ${show(name)}: must be a qualified name (an optional DNS prefix and '/', then a name)`);
  });
  const ignoredResourceGroups = stringList(raw.ignoredResourceGroups, 'ignoredResourceGroups', errs);
  ignoredResourceGroups.forEach((group, i) => {
    if (group.includes('/')) errs.add(`ignoredResourceGroups[${i}]`, `Invalid value: ${show(group)}: resource group name can't contain '/'`);
    else if (!isQualifiedName(group)) errs.add(`ignoredResourceGroups[${i}]`, `Invalid value: ${show(group)}: must be a qualified name`);
  });
  const scoringStrategy = parseScoringStrategy(raw.scoringStrategy, errs);
  errs.throwIfAny('NodeResourcesFit');
  return { ignoredResources, ignoredResourceGroups, scoringStrategy };
}
