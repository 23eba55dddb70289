/**
 * A Service's cluster IP and node ports, allocated when it is created (or changes type)
 * and released when it goes. The allocators are rebuilt from the stored Services the
 * first time they are needed; one API server owns them (several API servers on one store
 * would need kube's stored allocation bitmaps instead).
 */
import type { V1Service } from '@kubernetes/client-node';
import type { KubeObject, Lifecycle, LifecycleEnv, ResourceDef } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import type { FieldError } from '../../errors/field-error.js';
import {
  clusterIPError,
  clusterIPsOf,
  DEFAULT_NODE_PORT_RANGE,
  IpAllocator,
  needsClusterIP,
  needsNodePorts,
  nodePortError,
  nodePortsOf,
  PortAllocator,
} from './service-allocation.js';

type Spec = NonNullable<V1Service['spec']>;
const specOf = (obj: KubeObject) => ((obj as V1Service).spec ?? ((obj as V1Service).spec = {})) as Spec;

export function serviceLifecycle(env: LifecycleEnv, services: ResourceDef): Lifecycle {
  let state: Promise<{ ips: IpAllocator; ports: PortAllocator }> | undefined;
  const allocators = () =>
    (state ??= (async () => {
      const ips = new IpAllocator(env.cluster.serviceCIDR);
      const ports = new PortAllocator(DEFAULT_NODE_PORT_RANGE.base, DEFAULT_NODE_PORT_RANGE.size);
      for (const svc of await env.list(services)) {
        ips.restore(clusterIPsOf(svc));
        ports.restore(nodePortsOf(svc));
      }
      return { ips, ports };
    })());

  const fail = (obj: KubeObject, e: FieldError | { internal: string }): never => {
    if ('internal' in e) throw apiErrors.internal(e.internal);
    throw apiErrors.invalid('Service', '', obj.metadata.name ?? '', [e]);
  };

  /** Allocates what `obj` needs and `old` (if any) does not already hold. */
  const allocate = async (obj: KubeObject, old: KubeObject | undefined) => {
    const { ips, ports } = await allocators();
    const spec = specOf(obj);
    const taken: (() => void)[] = [];
    try {
      const held = new Set(old ? clusterIPsOf(old) : []);
      if (needsClusterIP(obj) && !(spec.clusterIP && held.has(spec.clusterIP))) {
        const requested = spec.clusterIP || undefined;
        const r = ips.allocate(requested);
        if (!r.ok) fail(obj, clusterIPError(requested, r));
        else {
          spec.clusterIP = r.value;
          spec.clusterIPs = [r.value];
          taken.push(() => ips.release(r.value));
        }
      }
      if (needsNodePorts(obj)) {
        const heldPorts = new Set(old ? nodePortsOf(old) : []);
        const used = new Set<number>();
        (spec.ports ?? []).forEach((p, i) => {
          if (p.nodePort && (heldPorts.has(p.nodePort) || used.has(p.nodePort))) return;
          const r = ports.allocate(p.nodePort || undefined);
          if (!r.ok) fail(obj, nodePortError(i, p.nodePort, r));
          else {
            p.nodePort = r.value;
            used.add(r.value);
            taken.push(() => ports.release(r.value));
          }
        });
      }
    } catch (err) {
      for (const undo of taken) undo();
      throw err;
    }
  };

  /** Releases what `from` holds and `keep` does not. */
  const release = async (from: KubeObject, keep: KubeObject | undefined) => {
    const { ips, ports } = await allocators();
    const keptIPs = new Set(keep ? clusterIPsOf(keep) : []);
    const keptPorts = new Set(keep ? nodePortsOf(keep) : []);
    for (const ip of clusterIPsOf(from)) if (!keptIPs.has(ip)) ips.release(ip);
    for (const port of nodePortsOf(from)) if (!keptPorts.has(port)) ports.release(port);
  };

  return {
    beforeCreate: (obj) => allocate(obj, undefined),
    beforeUpdate: (obj, old) => allocate(obj, old),
    abort: (obj, old) => void release(obj, old),
    afterUpdate: (obj, old) => void release(old, obj),
    afterDelete: (obj) => void release(obj, undefined),
  };
}
