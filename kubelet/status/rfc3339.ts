/**
 * Timestamps as the API reports them: RFC3339 with whole seconds ('2026-01-01T00:00:00Z'),
 * the precision of metav1.Time. CRI gives int64 nanoseconds; 0 means "never happened",
 * which the API says by leaving the field out.
 */
import type { Nanos } from '../cri/api.js';

/** '2026-01-01T00:00:00Z' for a Date, fractions of a second dropped */
export const toRfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** CRI nanoseconds → RFC3339 seconds; undefined for 0 (the event has not happened) */
export const nanosToRfc3339 = (nanos: Nanos): string | undefined =>
  nanos > 0 ? toRfc3339(new Date(Math.floor(nanos / 1e6))) : undefined;

/**
 * @kubernetes/client-node types timestamps as Date, but k8ts moves objects as plain JSON,
 * where they are strings; this is the one place that says so to the type checker.
 */
export const apiTime = (rfc3339: string): Date => rfc3339 as unknown as Date;
