/**
 * ResourceList fields (`{cpu: "500m", memory: "1Gi"}`) shared by LimitRange, ResourceQuota,
 * PersistentVolumeClaim and PersistentVolume (and reusable for Pods): the quantity rules,
 * kube's resource-name rules, and canonicalisation — kube stores quantities in canonical
 * form, so `memory: 1024Mi` reads back as `1Gi` and a bare number `1` as `"1"`.
 */
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { qualifiedName } from '../../validation/names.js';
import { canonicalQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from '../../validation/quantity.js';

export type ResourceList = Record<string, string | number>;

/** JSON numbers are quantities too (kube's Quantity unmarshals both). */
export const quantityOf = (value: unknown): Quantity | undefined =>
  typeof value === 'string' ? parseQuantity(value) : typeof value === 'number' && Number.isFinite(value) ? parseQuantity(String(value)) : undefined;

export interface QuantityRules {
  /** reject negative values (kube's ValidateResourceQuantityValue) */
  nonNegative?: boolean;
  /** reject zero and negative values */
  positive?: boolean;
  /** resource name check; returns detail strings */
  name?: (name: string) => string[];
  /** names whose value must be whole (object counts) */
  integer?: (name: string) => boolean;
}

/** kube's canonical text for a quantity value; the value as text when it is not one */
export const quantityText = (value: unknown): string => canonicalQuantity(String(value)) ?? String(value);

/** Errors for each entry at `field[name]`. */
export function validateResourceList(list: unknown, field: string, rules: QuantityRules = {}): FieldError[] {
  if (list === undefined || list === null) return [];
  if (typeof list !== 'object' || Array.isArray(list)) return [fieldErrors.typeInvalid(field, list, 'must be an object')];
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list as Record<string, unknown>)) {
    const at = `${field}[${name}]`;
    for (const msg of rules.name?.(name) ?? []) errs.push(fieldErrors.invalid(at, name, msg));
    const q = quantityOf(value);
    if (!q) {
      errs.push(fieldErrors.invalid(at, value, QUANTITY_FORMAT_ERROR));
      continue;
    }
    const text = quantityText(value);
    if (rules.positive && q.nano <= 0n) errs.push(fieldErrors.invalid(at, text, 'must be greater than zero'));
    else if ((rules.nonNegative || rules.positive) && q.nano < 0n) errs.push(fieldErrors.invalid(at, text, 'must be greater than or equal to 0'));
    if (rules.integer?.(name) && q.nano % 1_000_000_000n !== 0n) errs.push(fieldErrors.invalid(at, text, 'must be an integer'));
  }
  return errs;
}

/** Rewrite every parseable quantity in a list to kube's canonical text, in place. */
export function canonicalizeResourceList(list: unknown): void {
  if (!list || typeof list !== 'object' || Array.isArray(list)) return;
  const record = list as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (quantityOf(value)) record[name] = quantityText(value);
  }
}

/** kube's qualified-name check for resource names, then `extra` for unprefixed names */
export function resourceNameRule(isStandard: (name: string) => boolean, notStandard: string): (name: string) => string[] {
  return (name) => {
    const msgs = qualifiedName(name);
    if (msgs.length) return msgs;
    return !name.includes('/') && !isStandard(name) ? [notStandard] : [];
  };
}

/** cpu, memory, ephemeral-storage, storage, hugepages-<size> */
export const isStandardContainerResource = (name: string) =>
  ['cpu', 'memory', 'ephemeral-storage', 'storage'].includes(name) || name.startsWith('hugepages-');
