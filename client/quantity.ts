/**
 * Just enough of resource.Quantity for container limits and scheduling requests: "500m" CPU → milli-CPU,
 * "128Mi" / "1G" / "1e3" memory → bytes. kubelet/ and scheduler/ may not import the API server's
 * parser (ARCHITECTURE.md), and the API server already validated the strings, so an
 * unparsable value is simply ignored (undefined).
 *
 * And exact quantities, for sums that must come out as kube's would (quota usage): ten
 * "100m" add up to exactly "1", which floats cannot promise. Values are bigints of
 * nano-units; the format follows kube's Add (a zero value takes the format of the first
 * non-zero value added to it) and printing is kube's canonical String().
 */

const SUFFIX_MULTIPLIER: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** the quantity's value as a plain number (CPU in cores, memory in bytes) */
export function parseQuantity(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return undefined;
  const multiplier = SUFFIX_MULTIPLIER[match[2] ?? ''];
  if (multiplier === undefined) return undefined;
  return Number(match[1]) * multiplier;
}

// ---- exact quantities ----

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** value × 10^9 */
  nano: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWERS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_OF = new Map(Object.entries(DECIMAL_EXPONENTS).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SYNTAX = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][-+]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

export const zeroQuantity = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ nano: 0n, format });
export const countQuantity = (n: number): Quantity => ({ nano: BigInt(n) * NANO, format: 'DecimalSI' });

/** the quantity a string (or number) denotes; undefined when it is not one */
export function parseExactQuantity(value: unknown): Quantity | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseExactQuantity(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = SYNTAX.exec(value.trim());
  if (!m) return undefined;
  const [, sign, number = '', exponent, suffix = ''] = m;
  const [whole = '', fraction = ''] = number.split('.');
  let digits = BigInt(`${whole}${fraction}` || '0');
  if (sign === '-') digits = -digits;
  let format: QuantityFormat = 'DecimalSI';
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (exponent) {
    format = 'DecimalExponent';
    exp10 += Number(exponent.slice(1));
  } else if (suffix in BINARY_POWERS) {
    format = 'BinarySI';
    exp2 = BINARY_POWERS[suffix]!;
  } else exp10 += DECIMAL_EXPONENTS[suffix]!;
  const scaled = digits * 2n ** BigInt(exp2);
  const shift = exp10 + 9;
  if (shift >= 0) return { nano: scaled * 10n ** BigInt(shift), format };
  // finer than nano rounds away from zero, as kube does
  const divisor = 10n ** BigInt(-shift);
  const q = scaled / divisor;
  return { nano: scaled % divisor === 0n ? q : scaled < 0n ? q - 1n : q + 1n, format };
}

/** kube's Quantity.Add: a zero receiver takes the other's format */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

export const maxQuantity = (a: Quantity, b: Quantity): Quantity => (b.nano > a.nano ? b : a);

/** kube's canonical String() */
export function formatQuantity(q: Quantity): string {
  let format = q.format;
  // binary values below 1Ki or fractional print as decimal, as kube's CanonicalizeBytes does
  if (format === 'BinarySI' && (q.nano % NANO !== 0n || (q.nano > -1024n * NANO && q.nano < 1024n * NANO))) format = 'DecimalSI';
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
  return `${mantissa}${DECIMAL_SUFFIX_OF.get(exponent)}`;
}

/** two quantity strings denote the same value (unparsable ones compare as text) */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const qa = parseExactQuantity(a);
  const qb = parseExactQuantity(b);
  if (!qa || !qb) return a === b;
  return qa.nano === qb.nano;
}
