/**
 * A Job's podFailurePolicy and successPolicy: kube's defaulting (an onPodConditions
 * pattern's status is "True") and validation (pkg/apis/batch/validation).
 */
import type { V1JobSpec, V1PodFailurePolicyOnExitCodesRequirement, V1PodFailurePolicyOnPodConditionsPattern, V1PodFailurePolicyRule } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { qualifiedName } from '../../validation/names.js';
import { isObject } from './pod-template.js';

const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const MAX_SUCCESS_RULES = 20;

// sorted, as kube's sets.List prints them
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
/** Go's %q of a []string: ["a" "b"] */
const goQuotedList = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

export function defaultPodFailurePolicy(spec: V1JobSpec): void {
  for (const rule of arr(spec.podFailurePolicy?.rules))
    for (const pattern of isObject(rule) ? arr(rule.onPodConditions) : []) if (isObject(pattern)) pattern.status ||= 'True';
}

function validateExitCodes(req: V1PodFailurePolicyOnExitCodesRequirement, at: string, containers: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!req.operator) errs.push(fieldErrors.required(`${at}.operator`, `valid values: ${goQuotedList(EXIT_CODE_OPERATORS)}`));
  else if (!EXIT_CODE_OPERATORS.includes(req.operator)) errs.push(fieldErrors.notSupported(`${at}.operator`, req.operator, EXIT_CODE_OPERATORS));
  if (req.containerName !== undefined && req.containerName !== null && !containers.has(req.containerName))
    errs.push(fieldErrors.invalid(`${at}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  const values = arr(req.values);
  if (values.length === 0) errs.push(fieldErrors.invalid(`${at}.values`, values, 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODES) errs.push(fieldErrors.tooMany(`${at}.values`, values.length, MAX_EXIT_CODES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    if (req.operator === 'In' && v === 0) errs.push(fieldErrors.invalid(`${at}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(fieldErrors.duplicate(`${at}.values[${j}]`, v));
    seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  });
  if (!ordered) errs.push(fieldErrors.invalid(`${at}.values`, values, 'must be ordered'));
  return errs;
}

function validateConditionPatterns(patterns: V1PodFailurePolicyOnPodConditionsPattern[], at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > MAX_CONDITION_PATTERNS) errs.push(fieldErrors.tooMany(at, patterns.length, MAX_CONDITION_PATTERNS));
  patterns.forEach((p, j) => {
    const pat = isObject(p) ? p : ({} as V1PodFailurePolicyOnPodConditionsPattern);
    for (const msg of qualifiedName(pat.type ?? '')) errs.push(fieldErrors.invalid(`${at}[${j}].type`, pat.type ?? '', msg));
    if (!pat.status) errs.push(fieldErrors.required(`${at}[${j}].status`, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(pat.status)) errs.push(fieldErrors.notSupported(`${at}[${j}].status`, pat.status, CONDITION_STATUSES));
  });
  return errs;
}

function validateRule(spec: V1JobSpec, rule: V1PodFailurePolicyRule, at: string, containers: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.action) errs.push(fieldErrors.required(`${at}.action`, `valid values: ${goQuotedList(ACTIONS)}`));
  else if (rule.action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)
      errs.push(fieldErrors.invalid(`${at}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!ACTIONS.includes(rule.action)) errs.push(fieldErrors.notSupported(`${at}.action`, rule.action, ACTIONS));
  const hasExitCodes = isObject(rule.onExitCodes);
  const patterns = arr(rule.onPodConditions);
  if (hasExitCodes) errs.push(...validateExitCodes(rule.onExitCodes!, `${at}.onExitCodes`, containers));
  if (patterns.length > 0) errs.push(...validateConditionPatterns(patterns, `${at}.onPodConditions`));
  // kube omits the value from these two messages
  if (hasExitCodes && patterns.length > 0)
    errs.push({ type: 'FieldValueInvalid', field: at, message: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
  if (!hasExitCodes && patterns.length === 0)
    errs.push({ type: 'FieldValueInvalid', field: at, message: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  return errs;
}

export function validatePodFailurePolicy(spec: V1JobSpec, at: string): FieldError[] {
  const rules = arr(spec.podFailurePolicy?.rules);
  const errs: FieldError[] = [];
  if (rules.length > MAX_RULES) errs.push(fieldErrors.tooMany(`${at}.rules`, rules.length, MAX_RULES));
  const podSpec = spec.template?.spec;
  const containers = new Set([...arr(podSpec?.containers), ...arr(podSpec?.initContainers)].filter(isObject).map((c) => c.name));
  rules.forEach((rule, i) => errs.push(...validateRule(spec, isObject(rule) ? rule : ({} as V1PodFailurePolicyRule), `${at}.rules[${i}]`, containers)));
  return errs;
}

const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;

/**
 * kube's validateIndexesFormat: "1,3-5,7" with increasing indexes below completions.
 * Returns how many indexes it names, or the error.
 */
export function countIndexes(indexes: string, completions: number): number | { error: string } {
  if (indexes === '') return 0;
  let last: number | undefined;
  let total = 0;
  const index = (s: string): number | { error: string } => {
    if (!/^[+-]?\d+$/.test(s)) return { error: `cannot convert string to integer for index: ${JSON.stringify(s)}` };
    const n = Number(s);
    if (n >= completions) return { error: `too large index: ${JSON.stringify(s)}` };
    if (last !== undefined && last >= n) return { error: `non-increasing order, previous: ${last}, current: ${n}` };
    return n;
  };
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return { error: `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'` };
    const x = index(limits[0]!);
    if (typeof x !== 'number') return x;
    [last, total] = [x, total + 1];
    if (limits.length === 2) {
      const y = index(limits[1]!);
      if (typeof y !== 'number') return y;
      [last, total] = [y, total + y - x];
    }
  }
  return total;
}

/** successPolicy needs Indexed mode (checked by the caller); here its rules */
export function validateSuccessPolicy(spec: V1JobSpec, at: string): FieldError[] {
  const rules = arr(spec.successPolicy?.rules);
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(fieldErrors.required(`${at}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_RULES) errs.push(fieldErrors.tooMany(`${at}.rules`, rules.length, MAX_SUCCESS_RULES));
  rules.forEach((rule, i) => {
    const p = `${at}.rules[${i}]`;
    const count = isObject(rule) ? rule.succeededCount : undefined;
    if ((count === undefined || count === null) && !(isObject(rule) && typeof rule.succeededIndexes === 'string'))
      errs.push(fieldErrors.required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    const indexes = isObject(rule) ? rule.succeededIndexes : undefined;
    const completions = typeof spec.completions === 'number' ? spec.completions : 0;
    let named: number | undefined;
    if (typeof indexes === 'string') {
      if (indexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(fieldErrors.tooLong(`${p}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
      const counted = countIndexes(indexes, completions);
      if (typeof counted === 'number') named = counted;
      else errs.push(fieldErrors.invalid(`${p}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${counted.error}`));
    }
    if (typeof count === 'number') {
      if (count < 0) errs.push(fieldErrors.invalid(`${p}.succeededCount`, count, 'must be greater than or equal to 0'));
      if (count > completions)
        errs.push(fieldErrors.invalid(`${p}.succeededCount`, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      // an unparsable list counts as naming none, as in kube
      if (typeof indexes === 'string' && count > (named ?? 0))
        errs.push(fieldErrors.invalid(`${p}.succeededCount`, count, `must be less than or equal to ${named ?? 0} (the number of indexes in the specified succeededIndexes field)`));
    }
  });
  return errs;
}
