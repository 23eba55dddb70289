/**
 * NodeResourcesBalancedAllocationArgs (kubescheduler.config.k8s.io/v1) as written in a
 * profile's pluginConfig, defaulted and validated the way kube-scheduler does:
 *
 *   resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]   (the default)
 *
 * Balance has no use for weights, so kube insists every weight is 1 (a missing or zero
 * weight defaults to 1); a resource listed twice is an error. validateArgs throws one
 * Error naming every bad field.
 */
import { ArgErrors, checkKnownFields, isPlainObject, parseResourceSpecs, type ResourceSpec } from '../node-resources-fit/args.js';

export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

export function validateArgs(raw: unknown): NodeResourcesBalancedAllocationArgs {
  const errs = new ArgErrors();
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    throw new Error(`NodeResourcesBalancedAllocation args: expected an object (NodeResourcesBalancedAllocationArgs), got ${JSON.stringify(raw)}`);
  }
  const obj = (raw ?? {}) as Record<string, unknown>;
  checkKnownFields(obj, '', ['apiVersion', 'kind', 'resources'], errs);
  const resources = parseResourceSpecs(obj.resources, 'resources', errs);
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (seen.has(r.name)) errs.add(`resources[${i}].name`, `Duplicate value: ${JSON.stringify(r.name)}`);
    seen.add(r.name);
    if (r.weight !== 1) errs.add(`resources[${i}].weight`, `Invalid value: ${r.weight}: must be 1`);
  });
  errs.throwIfAny('NodeResourcesBalancedAllocation');
  return { resources };
}
