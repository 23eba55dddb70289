/**
 * VolumeRestrictions:
 *  PreFilter  look up the pod's PVCs: a missing one is UnschedulableAndUnresolvable (until
 *             it is created); for those with the ReadWriteOncePod access mode, count the
 *             pods anywhere in the cluster already using them. Skip when the pod has
 *             neither such PVCs in use nor in-tree disks to check.
 *  Filter     in-tree disk conflicts with the node's pods ("node(s) had no available
 *             disk"), then the ReadWriteOncePod count. Both are Unschedulable, as in kube:
 *             preempting the pod that holds the disk or claim frees it.
 *  PreFilterExtensions  keep the count right while preemption adds/removes pods.
 */
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { errorStatus, skip, success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  PluginFactory,
  PreFilterExtensions,
  PreFilterPlugin,
  PreFilterResult,
} from '../../framework/types.js';
import { hasDiskConflict, needsDiskConflictCheck } from './disk-conflict.js';

export const NAME = 'VolumeRestrictions';
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';
const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;

const namespaceOf = (pod: V1Pod): string => pod.metadata?.namespace ?? 'default';
const claimNames = (pod: V1Pod): string[] => (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));

class PreFilterState implements StateData {
  constructor(
    readonly namespace: string,
    /** the pod's claims with the ReadWriteOncePod access mode */
    readonly readWriteOncePodClaims: ReadonlySet<string>,
    /** how many references other pods hold to those claims */
    public conflictingRefCount: number,
  ) {}

  /** references this pod holds to the claims */
  refsOf(pod: V1Pod): number {
    if (namespaceOf(pod) !== this.namespace) return 0;
    return claimNames(pod).filter((c) => this.readWriteOncePodClaims.has(c)).length;
  }

  clone(): PreFilterState {
    return new PreFilterState(this.namespace, this.readWriteOncePodClaims, this.conflictingRefCount);
  }
}

export class VolumeRestrictions implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;
  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: V1Pod): { status: Status; result?: PreFilterResult } {
    const namespace = namespaceOf(pod);
    const rwop = new Set<string>();
    for (const claim of claimNames(pod)) {
      const pvc: V1PersistentVolumeClaim | undefined = this.handle.listers.persistentVolumeClaim(namespace, claim);
      if (!pvc) return { status: unresolvable(`persistentvolumeclaim "${claim}" not found`) };
      if (pvc.spec?.accessModes?.includes('ReadWriteOncePod')) rwop.add(claim);
    }
    const s = new PreFilterState(namespace, rwop, 0);
    if (rwop.size > 0) {
      const self = pod.metadata?.uid;
      // a claim counts once however many pods use it, as kube's IsPVCUsedByPods does
      const used = new Set<string>();
      for (const nodeInfo of this.handle.snapshot().list()) {
        for (const info of nodeInfo.pods.values()) {
          if (self && info.pod.metadata?.uid === self) continue;
          if (namespaceOf(info.pod) !== namespace) continue;
          for (const c of claimNames(info.pod)) if (rwop.has(c)) used.add(c);
        }
      }
      s.conflictingRefCount = used.size;
    }
    const needsDiskCheck = (pod.spec?.volumes ?? []).some(needsDiskConflictCheck);
    if (!needsDiskCheck && s.conflictingRefCount === 0) return { status: skip() };
    state.write(PRE_FILTER_STATE_KEY, s);
    return { status: success() };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, info: PodInfo, sign: 1 | -1): Status => {
      const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      if (!s) return errorStatus(`cannot read "${PRE_FILTER_STATE_KEY}" from cycleState`);
      s.conflictingRefCount += sign * s.refsOf(info.pod);
      return success();
    };
    return {
      addPod: (state, _pod, info) => update(state, info, 1),
      removePod: (state, _pod, info) => update(state, info, -1),
    };
  }

  filter(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    if (hasDiskConflict(pod, [...nodeInfo.pods.values()].map((p) => p.pod))) return unschedulable(ERR_REASON_DISK_CONFLICT);
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return errorStatus(`cannot read "${PRE_FILTER_STATE_KEY}" from cycleState`);
    return s.conflictingRefCount > 0 ? unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT) : success();
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // a deleted pod in the namespace may free a disk or a claim
    const podDeleted = (pod: V1Pod, old: unknown) => {
      const gone = old as V1Pod | undefined;
      if (!gone) return 'Queue';
      if (namespaceOf(gone) !== namespaceOf(pod)) return 'Skip';
      if (hasDiskConflict(pod, [gone])) return 'Queue';
      const mine = new Set(claimNames(pod));
      return claimNames(gone).some((c) => mine.has(c)) ? 'Queue' : 'Skip';
    };
    // the missing claim was created
    const pvcAdded = (pod: V1Pod, _old: unknown, added: unknown) => {
      const pvc = added as V1PersistentVolumeClaim | undefined;
      if (!pvc || (pvc.metadata?.namespace ?? 'default') !== namespaceOf(pod)) return 'Skip';
      return claimNames(pod).includes(pvc.metadata?.name ?? '') ? 'Queue' : 'Skip';
    };
    return [
      { event: { resource: 'AssignedPod', action: 'Delete' }, hint: podDeleted },
      { event: { resource: 'Node', action: 'Add' } },
      { event: { resource: 'PersistentVolumeClaim', action: 'Add' }, hint: pvcAdded },
    ];
  }
}

export const factory: PluginFactory = (_args, handle) => new VolumeRestrictions(handle);
