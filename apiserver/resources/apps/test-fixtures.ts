/**
 * Test support for the apps kinds (not a test file itself): a minimal valid workload
 * manifest, as a user would write it, to tweak per case.
 */
import type { KubeObject } from '../../catalogue/resource-def.js';
import { minutesAgo } from '../core/strategy-harness.js';

export const podTemplate = (labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
});

/** a workload named "web" created two hours ago, selecting app=web */
export function workload(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(120) },
    spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec },
    ...extra,
  };
}
