/**
 * Times as the API serialises them: metav1.Time is RFC 3339 with whole seconds. Informer
 * objects are plain JSON, so a time field is a string (the client-node types say Date);
 * timeOf reads either.
 */

/** RFC 3339 with seconds, as metav1.Time serialises */
export const formatTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** epoch ms of a time field (string or Date); NaN when absent or unparsable */
export const timeOf = (value: unknown): number => (value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN);
