/**
 * kube's SchedulingGates PreEnqueue check: a pod with spec.schedulingGates is not
 * scheduled until every gate is removed (the queue parks it and rechecks on update).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { success, unresolvable, withPlugin, type Status } from './framework/status.js';

export function schedulingGates(pod: V1Pod): Status {
  const gates = pod.spec?.schedulingGates ?? [];
  if (gates.length === 0) return success();
  return withPlugin(unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`), 'SchedulingGates');
}
