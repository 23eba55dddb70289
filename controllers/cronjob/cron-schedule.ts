/**
 * CronJob schedules for the controller: the next run strictly after an instant, as
 * robfig/cron v3's ParseStandard schedules compute it (kube's parser), on top of the
 * pinned `cron-parser` library:
 *   - five fields (minute hour day-of-month month day-of-week), names, ranges, steps, `?`;
 *     when day-of-month and day-of-week are both restricted a day matching EITHER runs
 *     (cron-parser does this too);
 *   - @yearly @annually @monthly @weekly @daily @midnight @hourly (cron-parser lacks
 *     @midnight: mapped here) and `@every <Go duration>` (a constant delay, which
 *     cron-parser lacks: computed here, as robfig's ConstantDelaySchedule);
 *   - a leading `TZ=<zone> ` / `CRON_TZ=<zone> ` names the zone (kube's formatSchedule
 *     turns spec.timeZone into exactly that prefix); otherwise the zone given, else the
 *     controller's local zone, as kube-controller-manager's time.Local.
 * The API server already rejects what robfig rejects; anything cron-parser would accept
 * beyond that (a seconds field, L/W/#) is rejected here too, so the two never disagree.
 */
import { CronExpressionParser } from 'cron-parser';

/** Go's zero time.Time (year 1), what robfig's Next answers for a schedule that never runs */
export const GO_ZERO_TIME = -62135596800000;

export interface CronSchedule {
  /** the first run strictly after `afterMs` (epoch ms) */
  next(afterMs: number): number;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in ms (for @every) */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  while ((m = re.exec(body)) !== null) {
    total += Number(m[1]) * GO_DURATION_UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (body === '' || matched !== body.length) throw new Error(`time: invalid duration "${text}"`);
  return sign * total;
}

/** whether the zone is known to this runtime's IANA database */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** parse a schedule; `timeZone` applies unless the schedule names its own; throws on what robfig rejects */
export function parseCronSchedule(schedule: string, timeZone?: string): CronSchedule {
  let spec = schedule.trim();
  let zone = timeZone;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(spec);
  if (tz) {
    zone = tz[1]!;
    spec = spec.slice(tz[0].length).trim();
  }
  if (zone !== undefined && !isKnownTimeZone(zone)) throw new Error(`provided bad location ${zone}: unknown time zone ${zone}`);
  if (spec.startsWith('@every ')) {
    const delay = Math.max(1000, Math.floor(parseGoDuration(spec.slice('@every '.length).trim()) / 1000) * 1000);
    // robfig's ConstantDelaySchedule: the delay after t, aligned to t's whole second
    return { next: (after) => after - (((after % 1000) + 1000) % 1000) + delay };
  }
  if (spec.startsWith('@')) {
    const mapped = DESCRIPTORS[spec];
    if (!mapped) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = mapped;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  for (const f of fields) if (!/^[0-9A-Za-z*?,/-]+$/.test(f) || /[LW#]/.test(f.replace(/[A-Za-z]{3}/g, ''))) throw new Error(`failed to parse field: ${f}`);
  const expression = fields.join(' ');
  // validate once now, so a bad schedule fails at parse time rather than at next()
  try {
    CronExpressionParser.parse(expression, zone !== undefined ? { tz: zone } : {});
  } catch (err) {
    // robfig accepts a day that no month has ("31 2"): it parses, and never runs
    if (/day of month/i.test((err as Error).message)) return { next: () => GO_ZERO_TIME };
    throw err;
  }
  return {
    next(after) {
      try {
        const it = CronExpressionParser.parse(expression, { currentDate: new Date(after), ...(zone !== undefined ? { tz: zone } : {}) });
        return it.next().getTime();
      } catch {
        // no run found within the library's search horizon: robfig answers the zero time
        return GO_ZERO_TIME;
      }
    },
  };
}
