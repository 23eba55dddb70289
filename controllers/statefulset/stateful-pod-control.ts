/**
 * kube's realStatefulPodControl: creating, updating and deleting a StatefulSet's pods and
 * claims, with the events `kubectl describe sts` shows, recorded on the set:
 *   SuccessfulCreate "create Pod web-0 in StatefulSet web successful"
 *   FailedCreate     "create Pod web-0 in StatefulSet web failed error: …"
 *   SuccessfulCreate "create Claim data-web-0 Pod web-0 in StatefulSet web success"
 *   SuccessfulDelete "delete Pod web-2 in StatefulSet web successful"
 *   SuccessfulUpdate "update Pod web-1 in StatefulSet web successful"
 * Claims are created before their pod (a pod must never run without its stable storage).
 * persistentVolumeClaimRetentionPolicy: whenDeleted=Delete makes the set an owner of each
 * claim, whenScaled=Delete makes a condemned pod the owner of its claims before it goes,
 * so the garbage collector removes them with it.
 */
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { isAlreadyExists, isNotFound } from '../../client/api-error.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { Lister } from '../../client/informers/index.js';
import type { KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import type { OwnerReference } from '../common/controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import { claimsFor, getOrdinal, identityMatches, podInOrdinalRange, storageMatches, updateIdentity, updateStorage, type Pod, type StatefulSet } from './stateful-set-utils.js';

type Claim = V1PersistentVolumeClaim & KubeObject;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const title = (verb: string) => verb[0]!.toUpperCase() + verb.slice(1);

export class StatefulPodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly claims: ResourceClient<Claim>;

  constructor(
    client: KubeClient,
    private readonly claimLister: Lister<KubeObject>,
    private readonly recorder: EventRecorder,
  ) {
    this.pods = client.resource<Pod>('v1', 'Pod');
    this.claims = client.resource<Claim>('v1', 'PersistentVolumeClaim');
  }

  /** CreateStatefulPod: claims first, then the pod; AlreadyExists (a lagging cache) is returned without an event */
  async createPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createMissingClaims(set, pod);
    } catch (err) {
      this.podEvent('create', set, pod, err);
      throw err;
    }
    try {
      await this.pods.create(pod, { fieldManager: CONTROLLER_FIELD_MANAGER });
    } catch (err) {
      if (!isAlreadyExists(err)) this.podEvent('create', set, pod, err);
      throw err;
    }
    this.podEvent('create', set, pod);
  }

  /** DeleteStatefulPod; a pod already gone is fine */
  async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace ?? '' });
    } catch (err) {
      if (isNotFound(err)) return;
      this.podEvent('delete', set, pod, err);
      throw err;
    }
    this.podEvent('delete', set, pod);
  }

  /** UpdateStatefulPod: restore the identity labels and claim volumes of a pod that lost them */
  async updatePod(set: StatefulSet, cached: Pod): Promise<void> {
    const pod = structuredClone(cached);
    if (!identityMatches(set, pod)) updateIdentity(set, pod);
    if (!storageMatches(set, pod)) {
      updateStorage(set, pod);
      try {
        await this.createMissingClaims(set, pod);
      } catch (err) {
        this.podEvent('update', set, pod, err);
        throw err;
      }
    }
    try {
      await this.pods.update(pod, { fieldManager: CONTROLLER_FIELD_MANAGER });
    } catch (err) {
      this.podEvent('update', set, pod, err);
      throw err;
    }
    this.podEvent('update', set, pod);
  }

  /** createPersistentVolumeClaims: every claim of the pod's ordinal that does not exist yet */
  async createMissingClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: string[] = [];
    for (const claim of claimsFor(set, getOrdinal(pod)).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.claimLister.get(name, claim.metadata?.namespace);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) errors.push(`pvc ${name} is being deleted`);
        continue;
      }
      const owners = this.claimOwners(set, pod);
      if (owners.length) claim.metadata = { ...claim.metadata, ownerReferences: owners };
      try {
        await this.claims.create(claim as Claim, { fieldManager: CONTROLLER_FIELD_MANAGER });
        this.claimEvent(set, pod, name);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        errors.push(`failed to create PVC ${name}: ${messageOf(err)}`);
        this.claimEvent(set, pod, name, err);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  /**
   * Before a condemned pod goes under whenScaled=Delete: make it the owner of its claims,
   * so they are garbage-collected with it.
   */
  async ownClaimsByPod(set: StatefulSet, pod: Pod): Promise<void> {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete' || !pod.metadata?.uid) return;
    for (const claim of claimsFor(set, getOrdinal(pod)).values()) {
      const existing = this.claimLister.get(claim.metadata?.name ?? '', claim.metadata?.namespace);
      if (!existing || existing.metadata?.ownerReferences?.some((r) => r.uid === pod.metadata?.uid)) continue;
      const ownerReferences = [...(existing.metadata?.ownerReferences ?? []), podOwnerRef(pod)];
      try {
        await this.claims.patch(existing.metadata?.name ?? '', 'merge', { metadata: { ownerReferences, resourceVersion: existing.metadata?.resourceVersion } }, {
          namespace: existing.metadata?.namespace ?? '',
          fieldManager: CONTROLLER_FIELD_MANAGER,
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private claimOwners(set: StatefulSet, pod: Pod): OwnerReference[] {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
    const owners: OwnerReference[] = [];
    if (policy?.whenDeleted === 'Delete') owners.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' });
    if (policy?.whenScaled === 'Delete' && !podInOrdinalRange(pod, set) && pod.metadata?.uid) owners.push(podOwnerRef(pod));
    return owners;
  }

  private podEvent(verb: 'create' | 'update' | 'delete', set: StatefulSet, pod: Pod, err?: unknown): void {
    const name = pod.metadata?.name;
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${name} in StatefulSet ${set.metadata?.name} successful`);
    else this.recorder.event(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${name} in StatefulSet ${set.metadata?.name} failed error: ${messageOf(err)}`);
  }

  private claimEvent(set: StatefulSet, pod: Pod, claim: string, err?: unknown): void {
    if (err === undefined) this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`);
    else this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${messageOf(err)}`);
  }
}

const podOwnerRef = (pod: Pod): OwnerReference => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' });
