/**
 * CRI log timestamps as comparable numbers. Records carry RFC3339Nano strings; `since`
 * filters compare them with an instant, so parse to epoch milliseconds with the
 * sub-millisecond digits kept as a fraction (Date.parse would drop them, and a record at
 * 12:00:00.0005 is after a since of 12:00:00.000).
 */

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/** epoch ms (fractional) of an RFC3339(Nano) time, or NaN when it is not one */
export function parseRfc3339(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) return NaN;
  const whole = Date.parse(`${m[1]}${m[3]!.toUpperCase()}`);
  return whole + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}
