/**
 * kube's TriggerTimeTracker: the value of the `endpoints.kubernetes.io/last-change-trigger-time`
 * annotation both controllers write — when the change being published first happened, so
 * kube-proxy can measure how long it took to program it. A pod's trigger time is its Ready
 * condition's lastTransitionTime, a Service's its creationTimestamp. For a Service seen for
 * the first time it is the Service's creation; afterwards the earliest trigger time that
 * moved since the last sync, or none (the annotation is then removed).
 *
 * The state is updated on every sync, even one that writes nothing, so a later write
 * reports only what changed after it.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number;
}

const timeOf = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN);

const podTriggerTime = (pod: V1Pod): number => timeOf(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** epoch ms of the trigger time, or undefined for "no new trigger" */
  compute(service: V1Service, pods: V1Pod[]): number | undefined {
    const key = `${service.metadata?.namespace}/${service.metadata?.name}`;
    const previous = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const at = podTriggerTime(pod);
      if (Number.isNaN(at)) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, at);
      const before = previous?.podTriggerTimes.get(name);
      if (before === undefined || at > before) min = min === undefined ? at : Math.min(min, at);
    }
    const created = timeOf(service.metadata?.creationTimestamp);
    const serviceTime = Number.isNaN(created) ? 0 : created;
    if (serviceTime > (previous?.serviceTriggerTime ?? 0)) min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    this.states.set(key, { podTriggerTimes: podTimes, serviceTriggerTime: serviceTime });
    if (!previous) return Number.isNaN(created) ? undefined : created;
    return min;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/** Go's time.RFC3339Nano in UTC: fractional seconds only when not zero, trailing zeros trimmed */
export function formatRFC3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2006-01-02T15:04:05.123Z
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}
