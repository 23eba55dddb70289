/**
 * MarkPodsNotReady's I/O: PUT pods/status for each pod on the node that is still Ready,
 * then a Warning NodeNotReady event "Node is not ready" on it (after the write, so the
 * event is about a pod that still exists). A pod deleted meanwhile is fine; any other
 * failure is reported so the caller retries the node on its next pass.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isNotFound } from '../../client/api-error.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { podMarkedNotReady } from './mark-pods-not-ready.js';

/** true when some pod could not be updated */
export async function markPodsNotReady(
  podClient: ResourceClient<KubeObject>,
  pods: readonly V1Pod[],
  nodeName: string,
  now: number,
  recorder: EventRecorder | undefined,
  logger: Logger,
): Promise<boolean> {
  let failed = false;
  for (const pod of pods) {
    const next = podMarkedNotReady(pod, nodeName, now);
    if (!next) continue;
    const body = { ...(next as unknown as KubeObject), apiVersion: 'v1', kind: 'Pod' };
    try {
      await podClient.updateStatus(body);
    } catch (err) {
      if (isNotFound(err)) continue;
      logger.warn({ err, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: nodeName }, 'failed to mark pod not ready');
      failed = true;
      continue;
    }
    logger.debug({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: nodeName }, 'marked pod not ready');
    recorder?.event(body, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  return failed;
}
