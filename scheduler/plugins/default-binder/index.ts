/**
 * DefaultBinder (Bind): POST pods/NAME/binding with the pod's uid as a precondition, so a
 * pod deleted and re-created under the same name is never bound by mistake. The API
 * server sets spec.nodeName and the PodScheduled condition in that one write.
 */
import { ApiError } from '../../../client/api-error.js';
import { errorStatus, success, type Status } from '../../framework/status.js';
import type { BindPlugin, Handle, PluginFactory } from '../../framework/types.js';

export const NAME = 'DefaultBinder';

export const factory: PluginFactory = (_args, handle: Handle): BindPlugin => ({
  name: NAME,
  async bind(_state, pod, nodeName): Promise<Status> {
    const client = handle.client;
    if (!client) return errorStatus('DefaultBinder: no API client');
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    try {
      await client.resource('v1', 'Pod').createSubresource(
        name,
        'binding',
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        },
        { namespace },
      );
      return success();
    } catch (err) {
      return errorStatus(err instanceof ApiError ? err.message : `binding ${namespace}/${name}: ${(err as Error).message}`);
    }
  },
});
