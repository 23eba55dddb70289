/**
 * CronJob schedules as kube reads them: robfig/cron v3's ParseStandard, the parser both
 * kube-apiserver (validation) and the CronJob controller (next run) use, with its exact
 * error texts, since kube returns them verbatim:
 *   spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61
 *
 * Accepted: five fields (minute hour day-of-month month day-of-week); each a comma list of
 * `*` or `?`, N, N-M, with an optional /step (`N/step` means N through the maximum);
 * month names JAN-DEC and weekday names SUN-SAT, any case; weekdays 0-6 (7 is not
 * Sunday here). Descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly
 * and `@every <Go duration>`. A leading `TZ=<zone> ` or `CRON_TZ=<zone> ` is parsed (kube's
 * validation then rejects it in favour of spec.timeZone, see cronjobs.ts).
 *
 * Day matching follows cron: when both day-of-month and day-of-week are restricted (no
 * `*`/`?` in either) a day matching either runs; otherwise both must match.
 *
 * Written here rather than taken from npm: cron-parser and croner are well kept, but both
 * accept more than robfig (seconds fields, L/W/#, 7 as Sunday) and word errors their own
 * way, and kube's validation must reject and report exactly as robfig does.
 */
import { parseGoDuration } from './go-duration.js';
import { instantsOf, isKnownTimeZone, localTimeZone, wallAsUtc, wallTimeAt, type WallTime } from './zone-time.js';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DAYS_OF_WEEK: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** One field's allowed values; `star` when it was written `*` or `?` (matters for day matching). */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

interface SpecFields {
  second: FieldSet;
  minute: FieldSet;
  hour: FieldSet;
  dayOfMonth: FieldSet;
  month: FieldSet;
  dayOfWeek: FieldSet;
}

/** A parsed schedule: `next` gives the first run strictly after an instant. */
export interface CronSchedule {
  /** the zone named by a TZ=/CRON_TZ= prefix, if any; it wins over next()'s `tz` */
  readonly location?: string;
  /**
   * The first run strictly after `after`, in `tz` (an IANA name; default: this process's
   * zone, as kube-controller-manager uses its own for CronJobs without spec.timeZone).
   * undefined when none falls within five years (e.g. "0 0 30 2 *"), as robfig gives up.
   */
  next(after: Date, tz?: string): Date | undefined;
}

export type ParseResult = { schedule: CronSchedule } | { error: string };

const range = (lo: number, hi: number, step = 1) => {
  const out = new Set<number>();
  for (let i = lo; i <= hi; i += step) out.add(i);
  return out;
};
const only = (...values: number[]): FieldSet => ({ values: new Set(values), star: false });
const every = (b: Bounds): FieldSet => ({ values: range(b.min, b.max), star: true });

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

const MAX_INT64 = 2n ** 63n - 1n;

/** Go's strconv.Atoi plus robfig's sign check, with their messages */
function parseUint(expr: string): number | { error: string } {
  const fail = (why: string) => ({ error: `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: ${why}` });
  if (!/^[+-]?\d+$/.test(expr)) return fail('invalid syntax');
  const big = BigInt(expr);
  if (big > MAX_INT64 || big < -MAX_INT64 - 1n) return fail('value out of range');
  if (big < 0n) return { error: `negative number (${big}) not allowed: ${expr}` };
  // beyond any bound anyway; keep it finite for the range messages
  return Number(big);
}

function parseIntOrName(expr: string, b: Bounds): number | { error: string } {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? parseUint(expr);
}

/** one comma-separated piece: `*`, `N`, `N-M`, each with an optional `/step` */
function parseRange(expr: string, b: Bounds): FieldSet | { error: string } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    const lo = parseIntOrName(lowAndHigh[0]!, b);
    if (typeof lo !== 'number') return lo;
    start = end = lo;
    if (lowAndHigh.length === 2) {
      const hi = parseIntOrName(lowAndHigh[1]!, b);
      if (typeof hi !== 'number') return hi;
      end = hi;
    } else if (lowAndHigh.length > 2) return { error: `too many hyphens: ${expr}` };
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = parseUint(rangeAndStep[1]!);
    if (typeof s !== 'number') return s;
    step = s;
    // "N/step" runs from N to the field's maximum
    if (lowAndHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return { error: `too many slashes: ${expr}` };

  if (start < b.min) return { error: `beginning of range (${start}) below minimum (${b.min}): ${expr}` };
  if (end > b.max) return { error: `end of range (${end}) above maximum (${b.max}): ${expr}` };
  if (start > end) return { error: `beginning of range (${start}) beyond end of range (${end}): ${expr}` };
  if (step === 0) return { error: `step of range should be a positive number: ${expr}` };
  return { values: range(start, end, step), star };
}

function parseField(field: string, b: Bounds): FieldSet | { error: string } {
  const out: FieldSet = { values: new Set(), star: false };
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const r = parseRange(expr, b);
    if ('error' in r) return r;
    for (const v of r.values) out.values.add(v);
    out.star ||= r.star;
  }
  return out;
}

function descriptor(spec: string): SpecFields | { everyMs: number } | { error: string } {
  const base = { second: only(0), minute: only(0), hour: only(0), dayOfMonth: only(1), month: only(1), dayOfWeek: every(DAYS_OF_WEEK) };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return base;
    case '@monthly':
      return { ...base, month: every(MONTHS) };
    case '@weekly':
      return { ...base, dayOfMonth: every(DAYS_OF_MONTH), month: every(MONTHS), dayOfWeek: only(0) };
    case '@daily':
    case '@midnight':
      return { ...base, dayOfMonth: every(DAYS_OF_MONTH), month: every(MONTHS) };
    case '@hourly':
      return { ...base, hour: every(HOURS), dayOfMonth: every(DAYS_OF_MONTH), month: every(MONTHS) };
  }
  const EVERY = '@every ';
  if (spec.startsWith(EVERY)) {
    const d = parseGoDuration(spec.slice(EVERY.length));
    if ('error' in d) return { error: `failed to parse duration ${spec}: ${d.error}` };
    // robfig: whole seconds, at least one
    return { everyMs: Math.max(1000, Math.trunc(d.ms / 1000) * 1000) };
  }
  return { error: `unrecognized descriptor: ${spec}` };
}

/** robfig/cron v3 ParseStandard */
export function parseCronSchedule(input: string): ParseResult {
  if (input.length === 0) return { error: 'empty spec string' };
  let spec = input;
  let location: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    // Go's LoadLocation: "" and "UTC" are UTC; "Local" the process's zone
    location = name === '' ? 'UTC' : name === 'Local' ? localTimeZone() : name;
    if (!isKnownTimeZone(location)) return { error: `provided bad location ${name}: unknown time zone ${name}` };
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    const d = descriptor(spec);
    if ('error' in d) return d;
    return { schedule: 'everyMs' in d ? everySchedule(d.everyMs, location) : specSchedule(d, location) };
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  const parsed: FieldSet[] = [];
  for (const [i, b] of [MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK].entries()) {
    const f = parseField(fields[i]!, b);
    if ('error' in f) return f;
    parsed.push(f);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parsed as [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet];
  return { schedule: specSchedule({ second: only(0), minute, hour, dayOfMonth, month, dayOfWeek }, location) };
}

/** kube's validation only needs the error text */
export function cronScheduleError(spec: string): string | undefined {
  const r = parseCronSchedule(spec);
  return 'error' in r ? r.error : undefined;
}

// ---------------------------------------------------------------------------------------
// Next run
// ---------------------------------------------------------------------------------------

function everySchedule(everyMs: number, location: string | undefined): CronSchedule {
  // robfig: from the start of `after`'s second, one interval on
  return { ...(location ? { location } : {}), next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + everyMs) };
}

const DAY_MS = 86_400_000;
/** wider than any daylight-saving shift: how far wall order and instant order can disagree */
const SHIFT_MS = 3 * 3_600_000;
const YEARS_AHEAD = 5;

function dayMatches(s: SpecFields, dayOfMonth: number, weekday: number): boolean {
  const dom = s.dayOfMonth.values.has(dayOfMonth);
  const dow = s.dayOfWeek.values.has(weekday);
  return s.dayOfMonth.star || s.dayOfWeek.star ? dom && dow : dom || dow;
}

const sorted = (f: FieldSet) => [...f.values].sort((a, b) => a - b);

function specSchedule(s: SpecFields, location: string | undefined): CronSchedule {
  const hours = sorted(s.hour);
  const minutes = sorted(s.minute);
  const seconds = sorted(s.second);
  const next = (after: Date, tz?: string): Date | undefined => {
    const zone = location ?? tz ?? localTimeZone();
    // runs are on whole seconds, strictly after `after`
    const start = Math.floor(after.getTime() / 1000) * 1000 + 1000;
    const startWall = wallTimeAt(start, zone);
    const startOffset = wallAsUtc(startWall) - start;
    let best: number | undefined;
    let bestWall = 0;
    // One day early: around a transition at midnight a later instant can read the day before.
    let day = Date.UTC(startWall.year, startWall.month - 1, startWall.day) - DAY_MS;
    for (; new Date(day).getUTCFullYear() <= startWall.year + YEARS_AHEAD; day += DAY_MS) {
      const date = new Date(day);
      const [year, month, dom] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (best !== undefined && day > bestWall + SHIFT_MS) break;
      if (!s.month.values.has(month) || !dayMatches(s, dom, date.getUTCDay())) continue;
      for (const hour of hours)
        for (const minute of minutes)
          for (const second of seconds) {
            const w: WallTime = { year, month, day: dom, hour, minute, second };
            const wallMs = wallAsUtc(w);
            if (wallMs - startOffset < start - SHIFT_MS) continue; // long before `after`
            if (best !== undefined && wallMs > bestWall + SHIFT_MS) return new Date(best);
            for (const t of instantsOf(w, zone)) {
              if (t >= start && (best === undefined || t < best)) [best, bestWall] = [t, wallMs];
            }
          }
    }
    return best === undefined ? undefined : new Date(best);
  };
  return { ...(location ? { location } : {}), next };
}
