/**
 * Test support for strategies (not a test file itself): runs a strategy's hooks in the
 * generic registry's order, with a fixed RequestContext, and renders field errors as
 * `field: message` lines so table-driven tests read like kubectl's output.
 */
import type { KubeObject, RequestContext, ResourceDef } from '../../catalogue/resource-def.js';
import { formatFieldError } from '../../errors/field-error.js';
import type { ServerServices } from '../../catalogue/server-services.js';

export const NOW = new Date('2026-01-01T12:00:00Z');

/** services for handler tests: an authorizer that allows everything */
export const testServices: ServerServices = { authorize: () => ({ allowed: true, reason: '' }) };

export function testContext(namespace = 'default'): RequestContext {
  return {
    namespace,
    user: { name: 'admin', groups: ['system:masters'] },
    now: NOW,
    dryRun: false,
    cluster: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' },
  };
}

/** create: prepareForCreate → defaults → validate; returns the object and the error lines */
export function create(def: ResourceDef, input: KubeObject, namespace = 'default'): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(input);
  const ctx = testContext(namespace);
  def.strategy.prepareForCreate?.(obj, ctx);
  def.strategy.defaults?.(obj, ctx);
  return { obj, errors: (def.strategy.validate?.(obj, ctx) ?? []).map(formatFieldError) };
}

/** update: defaults → prepareForUpdate → validate → validateUpdate */
export function update(def: ResourceDef, input: KubeObject, old: KubeObject, subresource?: string): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(input);
  const ctx = testContext(obj.metadata.namespace ?? 'default');
  def.strategy.defaults?.(obj, ctx);
  def.strategy.prepareForUpdate?.(obj, old, ctx, subresource);
  const errors = [...(def.strategy.validate?.(obj, ctx) ?? []), ...(def.strategy.validateUpdate?.(obj, old, ctx) ?? [])];
  return { obj, errors: errors.map(formatFieldError) };
}

/** a created object as the registry would store it (defaults applied, must be valid) */
export function stored(def: ResourceDef, input: KubeObject): KubeObject {
  const { obj, errors } = create(def, input);
  if (errors.length) throw new Error(`test object is invalid: ${errors.join('; ')}`);
  return obj;
}

/** the row of cells for an object: all columns, or only priority 0 */
export function cells(def: ResourceDef, obj: KubeObject, now: Date = NOW, wide = true): Array<string | number | boolean | null> {
  return (def.printerColumns ?? []).filter((c) => wide || c.priority === 0).map((c) => c.cell(obj, now));
}

export const minutesAgo = (m: number, now: Date = NOW) => new Date(now.getTime() - m * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
