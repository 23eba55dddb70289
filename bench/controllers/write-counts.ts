/**
 * API writes from the server's own counter: apiserver_request_total in GET /metrics
 * (Prometheus text), summed over the writing verbs and grouped by resource[/subresource],
 * so a bench can take the difference of two scrapes.
 */

export const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/** resource[/subresource] → writes counted so far */
export function writeCounts(metricsText: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries([...line.slice(line.indexOf('{') + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (!WRITE_VERBS.has(labels.verb ?? '') || labels.dry_run) continue;
    const key = labels.subresource ? `${labels.resource}/${labels.subresource}` : (labels.resource ?? '');
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(close + 1).trim()));
  }
  return counts;
}

/** after − before, per key, leaving out keys that did not change */
export function countsSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d > 0) delta.set(key, d);
  }
  return delta;
}
