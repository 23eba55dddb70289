/**
 * resource.Quantity, as much as the API server needs: parse ("100m", "1.5Gi", "1e3"), compare,
 * and print in kube's canonical form ("1.5Gi" → "1536Mi", "1000" → "1k", "0.5" → "500m").
 *
 * Values are held exactly as a bigint count of nano-units (kube's smallest scale); anything
 * finer rounds up to 1n, as kube does. The format (BinarySI, DecimalSI, DecimalExponent)
 * comes from the suffix the user wrote and decides how the canonical form is printed.
 */
import { formatQuantity, parseExactQuantity, type Quantity, type QuantityFormat } from '../../client/quantity.js';

/** kube's message when a string is not a quantity */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// one exact implementation (client/quantity.ts: nano-unit bigints, kube's rounding and
// canonical printing) serves the API server and the controllers
export { formatQuantity, type Quantity, type QuantityFormat };

/** a quantity string exactly as written (no surrounding space, not a JSON number); undefined when it is not one */
export function parseQuantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string' || value.trim() !== value) return undefined;
  return parseExactQuantity(value);
}

/** [] when valid, else kube's format message (a JSON number is not a quantity string) */
export function quantityErrors(value: unknown): string[] {
  return parseQuantity(value) ? [] : [QUANTITY_FORMAT_ERROR];
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** canonical form of a quantity string, or undefined when it is not one */
export function canonicalQuantity(value: string): string | undefined {
  const q = parseQuantity(value);
  return q && formatQuantity(q);
}
