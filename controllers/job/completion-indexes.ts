/**
 * Indexed Jobs (kube's pkg/controller/job/indexed_job_utils.go): every pod of an Indexed
 * Job carries its completion index in the annotation (and, since PodIndexLabel, the label)
 * `batch.kubernetes.io/job-completion-index`; the Job's status.completedIndexes lists the
 * succeeded indexes compressed into ranges ("1,3-5,7"). These are the pure pieces: reading
 * an index, (de)compressing the list, which indexes to start next, and how a pod for an
 * index differs from the template (hostname `<job>-<index>`, generateName `<job>-<index>-`,
 * env JOB_COMPLETION_INDEX read from the label through the downward API — the controller
 * sets that env, not the kubelet).
 */
import type { V1Container, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** kube's names.MaxGeneratedNameLength: 63 minus the 5 random characters */
const MAX_GENERATED_NAME_LENGTH = 58;

/** the pod's completion index, or undefined when it has none (or a malformed one) */
export function completionIndexOf(pod: V1Pod): number | undefined {
  const value = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const index = Number(value);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** "1,3-5" → [1,3,4,5]; entries outside [0, completions) are dropped, as kube does */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [lo, hi] = part.split('-').map((s) => Number(s));
    if (lo === undefined || !Number.isInteger(lo)) continue;
    const last = hi === undefined ? lo : hi;
    if (!Number.isInteger(last)) continue;
    for (let i = lo; i <= last && i < completions; i++) if (i >= 0) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** [1,3,4,5] → "1,3-5" (kube's orderedIntervals.String) */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** kube's firstPendingIndexes: the lowest `count` indexes neither succeeded nor running */
export function firstPendingIndexes(succeeded: ReadonlySet<number>, activeIndexes: ReadonlySet<number>, count: number, completions: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !activeIndexes.has(i)) out.push(i);
  return out;
}

/** kube's podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so the whole fits */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? `${jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length)}${suffix}` : prefix;
}

/** kube's addCompletionIndexEnvVariables: every (init) container gets JOB_COMPLETION_INDEX unless it set its own */
export function addCompletionIndexEnv(template: V1PodTemplateSpec): void {
  const add = (c: V1Container) => {
    if (c.env?.some((e) => e.name === COMPLETION_INDEX_ENV)) return;
    c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } } }];
  };
  for (const c of template.spec?.initContainers ?? []) add(c);
  for (const c of template.spec?.containers ?? []) add(c);
}

/** the template of the pod for one index: annotation, label and hostname */
export function templateForIndex(template: V1PodTemplateSpec, jobName: string, index: number): V1PodTemplateSpec {
  const copy = structuredClone(template);
  copy.metadata = {
    ...copy.metadata,
    annotations: { ...copy.metadata?.annotations, [COMPLETION_INDEX_ANNOTATION]: String(index) },
    labels: { ...copy.metadata?.labels, [COMPLETION_INDEX_ANNOTATION]: String(index) },
  };
  if (copy.spec) copy.spec.hostname = `${jobName}-${index}`;
  return copy;
}
