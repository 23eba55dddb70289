/**
 * Just enough of resource.Quantity for container limits and scheduling requests: "500m" CPU → milli-CPU,
 * "128Mi" / "1G" / "1e3" memory → bytes. kubelet/ and scheduler/ may not import the API server's
 * parser (ARCHITECTURE.md), and the API server already validated the strings, so an
 * unparsable value is simply ignored (undefined).
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
