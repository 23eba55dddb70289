/**
 * Durations as kubectl users read them in AGE columns: kube's duration.HumanDuration and
 * ShortHumanDuration (k8s.io/apimachinery/pkg/util/duration), and the printers'
 * translateTimestampSince ("<unknown>" when there is no timestamp).
 *
 * HumanDuration keeps two or three significant figures:
 *   0s … 119s | 2m … 9m59s (as "2m3s", "5m") | 10m … 179m | 3h … 7h59m (as "3h", "5h7m")
 *   | 8h … 47h | 2d … 7d23h (as "2d", "2d3h") | 8d … 729d | 2y … 7y364d | 8y …
 * Clock skew: up to 2 seconds in the future reads "0s" (Go truncates toward zero, so
 * -1.9s → -1 → "0s"); further in the future reads "<invalid>".
 *
 * Durations are milliseconds (JavaScript's clock); Go's integer divisions truncate toward
 * zero, which Math.trunc reproduces.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const whole = (ms: number, unit: number) => Math.trunc(ms / unit);

export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** kube's ShortHumanDuration: one unit only ("59s", "5m", "3h", "12d", "2y") */
export function shortHumanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * The AGE cell for an RFC 3339 timestamp: kube's translateTimestampSince. Missing or
 * unparseable timestamps read "<unknown>".
 */
export function timestampAge(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}
