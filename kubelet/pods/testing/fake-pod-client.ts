/**
 * A KubeClient fake for pod-worker tests: it holds pods in a map, applies status merge
 * patches to them and records every status patch, delete and get, so a test can assert
 * what the kubelet wrote. Only what the pod workers use is implemented (get, patch,
 * delete on v1 Pods; get and list of other v1 objects put with `putObject` — ConfigMaps,
 * Secrets, Services for a container's env and pull secrets); anything else throws, which a
 * test would notice at once.
 * `onStatusWritten` lets a test feed the updated pod back, as an informer would.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { DeleteOptions, KubeClient, KubeObject, ResourceClient } from '../../../client/types.js';

export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedDelete {
  namespace: string;
  name: string;
  opts: DeleteOptions;
}

export class FakePodClient implements KubeClient {
  readonly userAgent = 'system:node:test';
  readonly pods = new Map<string, V1Pod>();
  readonly statusPatches: Array<{ namespace: string; name: string; patch: unknown }> = [];
  readonly deletes: RecordedDelete[] = [];
  /** called after a status patch was applied, with a copy of the updated pod */
  onStatusWritten: ((pod: V1Pod) => void) | undefined;

  /** other v1 objects by `<kind>/<namespace>/<name>` */
  readonly objects = new Map<string, KubeObject>();

  putObject(obj: KubeObject): void {
    this.objects.set(`${obj.kind}/${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name}`, structuredClone(obj));
  }

  put(pod: V1Pod): void {
    this.pods.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, structuredClone(pod));
  }

  pod(namespace: string, name: string): V1Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClient<T> {
    if (apiVersion === 'v1' && ['ConfigMap', 'Secret', 'Service'].includes(kind)) return this.objectClient(kind) as unknown as ResourceClient<T>;
    if (apiVersion !== 'v1' || kind !== 'Pod') throw new Error(`FakePodClient: no ${apiVersion} ${kind}`);
    const unsupported = (what: string) => () => {
      throw new Error(`FakePodClient: ${what} is not implemented`);
    };
    const find = (name: string, namespace = 'default'): V1Pod => {
      const pod = this.pods.get(`${namespace}/${name}`);
      if (!pod) throw new FakeApiError(404, `pods "${name}" not found`);
      return pod;
    };
    const client: ResourceClient<KubeObject> = {
      apiVersion,
      kind,
      get: async (name, opts) => structuredClone(find(name, opts?.namespace)) as unknown as KubeObject,
      list: unsupported('list'),
      create: unsupported('create'),
      update: unsupported('update'),
      updateStatus: unsupported('updateStatus'),
      patch: async (name, type, patch, opts) => {
        if (opts?.subresource !== 'status' || type !== 'merge') throw new Error(`FakePodClient: only merge patches of status (got ${type} ${opts?.subresource})`);
        const namespace = opts.namespace ?? 'default';
        const pod = find(name, namespace);
        this.statusPatches.push({ namespace, name, patch: structuredClone(patch) });
        const status = { ...(pod.status ?? {}) } as Record<string, unknown>;
        for (const [key, value] of Object.entries((patch as { status: Record<string, unknown> }).status)) {
          if (value === null) delete status[key];
          else status[key] = value;
        }
        pod.status = status as V1Pod['status'];
        const copy = structuredClone(pod);
        queueMicrotask(() => this.onStatusWritten?.(copy));
        return structuredClone(pod) as unknown as KubeObject;
      },
      apply: unsupported('apply'),
      delete: async (name, opts = {}) => {
        const namespace = opts.namespace ?? 'default';
        this.deletes.push({ namespace, name, opts: structuredClone(opts) });
        const pod = find(name, namespace);
        if (opts.preconditions?.uid && opts.preconditions.uid !== pod.metadata?.uid) throw new FakeApiError(409, 'precondition failed: uid');
        this.pods.delete(`${namespace}/${name}`);
        return structuredClone(pod) as unknown as KubeObject;
      },
      watch: unsupported('watch'),
      createSubresource: unsupported('createSubresource'),
      getSubresource: unsupported('getSubresource'),
    };
    return client as unknown as ResourceClient<T>;
  }

  /** read-only get/list over `objects` for one kind */
  private objectClient(kind: string): Pick<ResourceClient<KubeObject>, 'apiVersion' | 'kind' | 'get' | 'list'> {
    return {
      apiVersion: 'v1',
      kind,
      get: async (name, opts) => {
        const obj = this.objects.get(`${kind}/${opts?.namespace ?? 'default'}/${name}`);
        if (!obj) throw new FakeApiError(404, `${kind.toLowerCase()}s "${name}" not found`);
        return structuredClone(obj);
      },
      list: async (opts) => ({
        metadata: {},
        items: [...this.objects.entries()].filter(([key]) => key.startsWith(opts?.namespace ? `${kind}/${opts.namespace}/` : `${kind}/`)).map(([, obj]) => structuredClone(obj)),
      }),
    };
  }

  mapping(): never {
    throw new Error('FakePodClient: mapping is not implemented');
  }

  close(): void {}
}
