/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes no new pods,
 * unless the pod tolerates the node.kubernetes.io/unschedulable:NoSchedule taint (as
 * DaemonSet pods do). Removing pods cannot uncordon a node: UnschedulableAndUnresolvable.
 */
import type { V1Node, V1Pod, V1Taint } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { success, unresolvable, type Status } from '../../framework/status.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, PluginFactory } from '../../framework/types.js';
import { taintToleratedByTolerations } from '../helpers/tolerations.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: V1Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function toleratesUnschedulable(pod: V1Pod): boolean {
  return taintToleratedByTolerations(UNSCHEDULABLE_TAINT, pod.spec?.tolerations);
}

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.spec?.unschedulable || toleratesUnschedulable(pod)) return success();
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // a new schedulable node, or a node uncordoned
    const hint = (_pod: V1Pod, old: unknown, updated: unknown) => {
      const before = old as V1Node | undefined;
      const after = updated as V1Node | undefined;
      if (!after || after.spec?.unschedulable) return 'Skip';
      return !before || before.spec?.unschedulable ? 'Queue' : 'Skip';
    };
    return [
      { event: { resource: 'Node', action: 'Add' }, hint },
      { event: { resource: 'Node', action: 'Update' }, hint },
      // the pod itself gained the toleration
      {
        event: { resource: 'UnscheduledPod', action: 'Update' },
        hint: (pod, _old, updated) => ((updated as V1Pod | undefined)?.metadata?.uid === pod.metadata?.uid && toleratesUnschedulable(updated as V1Pod) ? 'Queue' : 'Skip'),
      },
    ];
  }
}

export const factory: PluginFactory = () => new NodeUnschedulable();
