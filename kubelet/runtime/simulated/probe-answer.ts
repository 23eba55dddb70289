/**
 * The simulated runtime's answer to probeContainer: there is no process to exec and no
 * socket to dial, so the container's `sim.k8ts.io/probe` behaviour decides, and a failure
 * is worded the way the real kubelet's prober words it for that kind of probe, so the
 * Unhealthy events on a simulated node read like a real node's.
 */
import type { ProbeAction, ProbeContainerResponse } from '../../cri/api.js';
import { CriError } from '../../cri/errors.js';
import type { ProbeBehaviour } from './sim-annotations.js';

export function answerProbe(behaviour: ProbeBehaviour, ranMs: number, action: ProbeAction, podIp: string): ProbeContainerResponse {
  const failureMessage = probeFailureMessage(action, podIp);
  const fails = behaviour.kind === 'fail' || (behaviour.kind === 'fail-after' && ranMs >= behaviour.afterMs);
  return fails ? { result: 'FAILURE', message: failureMessage } : { result: 'SUCCESS', message: '' };
}

/** checked even for passing probes, so a probe without an action is an error either way */
function probeFailureMessage(action: ProbeAction, podIp: string): string {
  if (action.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (action.tcpSocket) return `dial tcp ${action.tcpSocket.host || podIp}:${action.tcpSocket.port}: connect: connection refused`;
  if (action.exec) return `command ${JSON.stringify(action.exec.command.join(' '))} exited with 1`;
  throw new CriError('InvalidArgument', 'probe has no action: want exec, httpGet or tcpSocket');
}
