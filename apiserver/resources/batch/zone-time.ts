/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl (Node ships full ICU):
 * what a cron schedule needs to turn "02:30 on 2026-03-29 in Europe/Paris" into instants.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

let canonicalByLowerCase: Map<string, string> | undefined;

/**
 * Does this name a zone, as Go's time.LoadLocation reads tzdata files? ICU knows the same
 * names but matches them in any case, where Go (on a case-sensitive file system) does
 * not: "europe/paris" is refused when ICU spells it otherwise.
 */
export function isKnownTimeZone(tz: string): boolean {
  let resolved: string;
  try {
    resolved = formatter(tz).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  canonicalByLowerCase ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  const lower = tz.toLowerCase();
  const spelled = canonicalByLowerCase.get(lower) ?? (resolved.toLowerCase() === lower ? resolved : tz);
  return spelled === tz;
}

/** The process's own zone: what kube-controller-manager uses for a CronJob without timeZone. */
export const localTimeZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `tz` at an instant (whole seconds). */
export function wallTimeAt(ms: number, tz: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** A wall time read as if it were UTC, in milliseconds: the zone's offset is instant-to-this difference. */
export const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

// Offsets change only at transitions, which tzdata places on quarter hours (of UTC) in
// modern times; caching per quarter hour makes schedule searches cheap.
const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_OFFSETS = 50_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(ms: number, tz: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${tz} ${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    off = wallAsUtc(wallTimeAt(bucket, tz)) - bucket;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/**
 * Every instant at which the clock in `tz` reads `w`, earliest first: none inside a
 * spring-forward gap, two inside a fall-back overlap, one otherwise.
 */
export function instantsOf(w: WallTime, tz: string): number[] {
  const local = wallAsUtc(w);
  // Offsets in effect within a day either side cover any transition near this wall time.
  const candidates = new Set([offsetAt(local - 86_400_000, tz), offsetAt(local, tz), offsetAt(local + 86_400_000, tz)]);
  const out = new Set<number>();
  for (const off of candidates) {
    const candidate = local - off;
    if (offsetAt(candidate, tz) === off) out.add(candidate);
  }
  return [...out].sort((a, b) => a - b);
}
