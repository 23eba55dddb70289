/**
 * The two timestamp formats of the Kubernetes API, from Clock milliseconds:
 *   Time      (metav1.Time)      RFC 3339 to the second:       2026-01-01T00:00:00Z
 *   MicroTime (metav1.MicroTime) RFC 3339 to the microsecond:  2026-01-01T00:00:00.000000Z
 * Leases (renewTime, acquireTime) are MicroTime; Event timestamps and Node conditions are
 * Time. Lives here because leader election needs it first; events and the kubelet's node
 * agent import it too.
 */

/** metav1.Time: whole seconds (kube truncates, never rounds) */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime: JavaScript time has milliseconds, so the last three digits are zero */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** either format (or any RFC 3339 string) back to milliseconds; undefined when absent or unparseable */
export function parseKubeTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  // Date.parse handles at most millisecond fractions reliably; drop the extra digits
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}
