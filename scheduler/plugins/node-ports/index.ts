/**
 * NodePorts:
 *  PreFilter  collect the pod's host ports (containers and sidecars); Skip when it has none.
 *  Filter     no wanted host port may clash with one the node's pods already use. Evicting
 *             those pods frees the port, so this is Unschedulable (preemption may help).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { podHostPorts, type HostPort, type NodeInfo } from '../../framework/node-info.js';
import { skip, success, unschedulable, type Status } from '../../framework/status.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin, PreFilterResult } from '../../framework/types.js';
import { fitsPorts, portsConflict } from './host-ports.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;

class WantedPorts implements StateData {
  constructor(readonly ports: readonly HostPort[]) {}
  clone(): StateData {
    return this;
  }
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(state: CycleState, pod: V1Pod): { status: Status; result?: PreFilterResult } {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { status: skip() };
    state.write(PRE_FILTER_STATE_KEY, new WantedPorts(ports));
    return { status: success() };
  }

  preFilterExtensions(): undefined {
    return undefined;
  }

  filter(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    // PreFilter may be disabled in the profile: compute it here then
    const wanted = state.read<WantedPorts>(PRE_FILTER_STATE_KEY)?.ports ?? podHostPorts(pod);
    return fitsPorts(wanted, nodeInfo.usedPorts) ? success() : unschedulable(ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // a deleted pod helps only if it held a port this pod wants
    const podDeleted = (pod: V1Pod, old: unknown) => {
      if (!old) return 'Queue';
      const gone = podHostPorts(old as V1Pod);
      const wanted = podHostPorts(pod);
      return wanted.some((w) => gone.some((g) => portsConflict(w, g))) ? 'Queue' : 'Skip';
    };
    return [
      { event: { resource: 'AssignedPod', action: 'Delete' }, hint: podDeleted },
      { event: { resource: 'Node', action: 'Add' } },
    ];
  }
}

export const factory: PluginFactory = () => new NodePorts();
