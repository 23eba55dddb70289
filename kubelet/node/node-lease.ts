/**
 * The node heartbeat: kube-node-lease/<nodeName>, held by the node, renewTime moved every
 * leaseRenewInterval. The node lifecycle controller reads it to tell a live node from a
 * dead one (cheaper than posting the whole status every 10 s). Like kubelet's lease
 * controller: create the Lease when missing, otherwise update the copy we last wrote;
 * on 409 Conflict or 404 re-read (or re-create) and retry a few times. The Lease is owned
 * by the Node, so deleting the Node garbage-collects it.
 */
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.js';
import { formatMicroTime } from '../../client/leaderelection/kube-time.js';
import { LEASE_API_VERSION, LEASE_KIND, type LeaseObject } from '../../client/leaderelection/lease-object.js';
import type { KubeClient, ResourceClient } from '../../client/types.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const MAX_ATTEMPTS = 5;

export class NodeLease {
  private readonly leases: ResourceClient<LeaseObject>;
  private latest: LeaseObject | undefined;

  constructor(
    client: KubeClient,
    private readonly nodeName: string,
    private readonly leaseDurationSeconds: number,
  ) {
    this.leases = client.resource<LeaseObject>(LEASE_API_VERSION, LEASE_KIND);
  }

  /** create or renew the Lease at `now` (Clock ms); throws the last error after MAX_ATTEMPTS */
  async renew(now: number, owner: { uid: string }, signal?: AbortSignal): Promise<LeaseObject> {
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        this.latest ??= await this.getOrCreate(now, owner, signal);
        if (this.latest.spec?.renewTime === formatMicroTime(now) && this.ownedBy(this.latest, owner)) return this.latest;
        this.latest = await this.leases.update(this.renewed(this.latest, now, owner), { signal });
        return this.latest;
      } catch (err) {
        lastError = err;
        this.latest = undefined;
        if (!isConflict(err) && !isNotFound(err) && !isAlreadyExists(err)) throw err;
      }
    }
    throw lastError;
  }

  private async getOrCreate(now: number, owner: { uid: string }, signal?: AbortSignal): Promise<LeaseObject> {
    try {
      return await this.leases.get(this.nodeName, { namespace: NODE_LEASE_NAMESPACE, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const lease: LeaseObject = { apiVersion: LEASE_API_VERSION, kind: LEASE_KIND, metadata: { name: this.nodeName, namespace: NODE_LEASE_NAMESPACE } };
    return this.leases.create(this.renewed(lease, now, owner), { signal });
  }

  private ownedBy(lease: LeaseObject, owner: { uid: string }): boolean {
    return lease.metadata?.ownerReferences?.some((r) => r.kind === 'Node' && r.uid === owner.uid) ?? false;
  }

  private renewed(lease: LeaseObject, now: number, owner: { uid: string }): LeaseObject {
    return {
      ...lease,
      metadata: {
        ...lease.metadata,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: owner.uid }],
      },
      spec: { ...lease.spec, holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDurationSeconds, renewTime: formatMicroTime(now) },
    };
  }
}
