/**
 * resource.Quantity, as much as the API server needs: parse ("100m", "1.5Gi", "1e3"), compare,
 * and print in kube's canonical form ("1.5Gi" → "1536Mi", "1000" → "1k", "0.5" → "500m").
 *
 * Values are held exactly as a bigint count of nano-units (kube's smallest scale); anything
 * finer rounds up to 1n, as kube does. The format (BinarySI, DecimalSI, DecimalExponent)
 * comes from the suffix the user wrote and decides how the canonical form is printed.
 */

/** kube's message when a string is not a quantity */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** the value × 10^9, exact */
  nano: bigint;
  format: QuantityFormat;
}

const DECIMAL_SUFFIX_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX_POWER: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIX_EXPONENT).map(([s, e]) => [e, s]));
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

// sign, digits with at most one '.', then a decimal or binary suffix or an exponent
const QUANTITY = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(?:([eE][-+]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const NANO = 1_000_000_000n;
const pow10 = (n: number) => 10n ** BigInt(n);

/** ceil(a / b) for b > 0, away from zero for negatives (kube rounds up in magnitude) */
function divideRoundingUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b === 0n ? q : a < 0n ? q - 1n : q + 1n;
}

export function parseQuantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const [, sign, number, exponent, suffix = ''] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole = '', fraction = ''] = number.split('.');
  let digits = BigInt(`${whole}${fraction}` || '0');
  if (sign === '-') digits = -digits;

  let format: QuantityFormat = 'DecimalSI';
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (exponent) {
    format = 'DecimalExponent';
    exp10 += Number(exponent.slice(1));
  } else if (suffix in BINARY_SUFFIX_POWER) {
    format = 'BinarySI';
    exp2 = BINARY_SUFFIX_POWER[suffix]!;
  } else {
    exp10 += DECIMAL_SUFFIX_EXPONENT[suffix]!;
  }
  // nano = digits × 10^(exp10+9) × 2^exp2, rounded up when exp10+9 < 0
  const scaled = digits * 2n ** BigInt(exp2);
  const shift = exp10 + 9;
  const nano = shift >= 0 ? scaled * pow10(shift) : divideRoundingUp(scaled, pow10(-shift));
  return { nano, format };
}

/** [] when valid, else kube's format message (a JSON number is not a quantity string) */
export function quantityErrors(value: unknown): string[] {
  return parseQuantity(value) ? [] : [QUANTITY_FORMAT_ERROR];
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** kube's String() of a quantity: the canonical form */
export function formatQuantity(q: Quantity): string {
  let format = q.format;
  if (format === 'BinarySI') {
    // small or fractional binary values print as decimal (kube: avoids rounding and confusion)
    const small = q.nano > -1024n * NANO && q.nano < 1024n * NANO;
    if (small || q.nano % NANO !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let n = q.nano / NANO;
    let power = 0;
    while (power < BINARY_SUFFIXES.length - 1 && n % 1024n === 0n) {
      n /= 1024n;
      power++;
    }
    return `${n}${BINARY_SUFFIXES[power]}`;
  }
  if (q.nano === 0n) return '0';
  let mantissa = q.nano;
  let exponent = -9;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent)}`;
}

/** canonical form of a quantity string, or undefined when it is not one */
export function canonicalQuantity(value: string): string | undefined {
  const q = parseQuantity(value);
  return q && formatQuantity(q);
}
