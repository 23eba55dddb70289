/**
 * A label selector in kube's text form ("app=web,tier in (a,b),!canary"), for messages a
 * user reads (the UnmanagedPods event). null selects nothing, {} everything, as kube prints.
 */
import type { V1LabelSelector } from '@kubernetes/client-node';

export function formatLabelSelector(selector: V1LabelSelector | null | undefined): string {
  if (!selector) return '<none>';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) parts.push(`${key}=${value}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator} (${values})`);
  }
  return parts.length === 0 ? '<everything>' : parts.sort().join(',');
}
