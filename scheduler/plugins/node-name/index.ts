/**
 * NodeName (Filter): a pod that names its node (spec.nodeName) fits only that node. The
 * scheduler normally never sees such pods, but a pod whose nodeName was set at creation
 * for a node the scheduler must still vet (or a profile that re-checks it) needs this.
 * No pod removal can change the answer, so the rejection is UnschedulableAndUnresolvable.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { success, unresolvable, type Status } from '../../framework/status.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, PluginFactory } from '../../framework/types.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

/** kube's nodename.Fits: no requested name, or the node's name */
export function fits(pod: V1Pod, nodeName: string): boolean {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === nodeName;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    return fits(pod, nodeInfo.name) ? success() : unresolvable(ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // only the arrival of the named node can help
    const hint = (pod: V1Pod, _old: unknown, added: unknown) => (fits(pod, (added as V1Node | undefined)?.metadata?.name ?? '') ? 'Queue' : 'Skip');
    return [{ event: { resource: 'Node', action: 'Add' }, hint }];
  }
}

export const factory: PluginFactory = () => new NodeName();
