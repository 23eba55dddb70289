/**
 * Go's time.ParseDuration, because `@every <duration>` in a CronJob schedule is read by
 * it (robfig/cron) and kube reports its exact error text back to the user:
 *   time: invalid duration "x" | time: missing unit in duration "5" | time: unknown unit "d" in duration "5d"
 * Returns milliseconds (fractions kept), or the error message.
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's strconv.Quote for the ASCII strings this sees; JSON's escaping is the same there */
const quote = (s: string) => JSON.stringify(s);

export function parseGoDuration(input: string): { ms: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${quote(input)}` };
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return { ms: 0 };
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole = '', frac] = [num[1], num[2]];
    // a number needs a digit before or after the point: "." and ".s" are invalid
    if (whole === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === '') return { error: `time: missing unit in duration ${quote(input)}` };
    const scale = UNIT_MS[unit];
    if (scale === undefined) return { error: `time: unknown unit ${quote(unit)} in duration ${quote(input)}` };
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac ?? ''}0`) * scale;
  }
  // Go keeps durations in int64 nanoseconds (about 292 years)
  if (total * 1e6 > 2 ** 63) return invalid;
  return { ms: sign * total };
}
