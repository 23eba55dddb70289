/**
 * kube's RealPodControl (pkg/controller/controller_utils.go): how workload controllers
 * create and delete their pods, with the events users see in `kubectl describe`
 * (SuccessfulCreate "Created pod: X", FailedCreate "Error creating: …", SuccessfulDelete
 * "Deleted pod: X", FailedDelete "Error deleting: …"), recorded on the OWNER.
 *
 * A pod from a template (GetPodFromTemplate) takes the template's labels, annotations,
 * finalizers and spec, the controllerRef as its only ownerReference, and a generateName of
 * `<owner name>-` unless the caller names it (StatefulSet) .
 */
import type { V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { isNotFound } from '../../client/api-error.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { DeleteOptions, KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import type { OwnerReference } from './controller-ref.js';

export const CONTROLLER_FIELD_MANAGER = 'kube-controller-manager';

export interface CreatePodOptions {
  /** a fixed name (StatefulSet); default generateName `<owner>-` */
  name?: string;
  generateName?: string;
  /** changes to the pod before it is sent (hostname, extra labels, node affinity …) */
  mutate?: (pod: V1Pod) => void;
}

/** kube's getPodsPrefix: `<name>-`, shortened so generated names stay valid */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return prefix.length > 58 ? prefix.slice(0, 58) : prefix;
}

export function podFromTemplate(namespace: string, template: V1PodTemplateSpec, controllerRef: OwnerReference, opts: CreatePodOptions = {}): V1Pod {
  const meta = template.metadata ?? {};
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      ...(opts.name ? { name: opts.name } : { generateName: opts.generateName ?? podNamePrefix(controllerRef.name) }),
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [{ ...controllerRef }],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  opts.mutate?.(pod);
  return pod;
}

export class PodControl {
  private readonly pods: ResourceClient<V1Pod & KubeObject>;

  constructor(
    client: KubeClient,
    private readonly recorder: EventRecorder,
  ) {
    this.pods = client.resource<V1Pod & KubeObject>('v1', 'Pod');
  }

  /** create a pod for `owner`; records the event; rethrows the API error */
  async createPod(namespace: string, template: V1PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference, opts: CreatePodOptions = {}): Promise<V1Pod> {
    const pod = podFromTemplate(namespace, template, controllerRef, opts);
    if (!pod.metadata?.labels || Object.keys(pod.metadata.labels).length === 0) {
      const err = new Error('unable to create pods, no labels');
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${err.message}`);
      throw err;
    }
    try {
      const created = await this.pods.create(pod as V1Pod & KubeObject, { fieldManager: CONTROLLER_FIELD_MANAGER });
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
      return created;
    } catch (err) {
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  /** delete a pod of `owner`; false when it was already gone (no event, no error) */
  async deletePod(namespace: string, name: string, owner: KubeObject, opts: Omit<DeleteOptions, 'namespace'> = {}): Promise<boolean> {
    try {
      await this.pods.delete(name, { ...opts, namespace });
      this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      throw err;
    }
  }
}
