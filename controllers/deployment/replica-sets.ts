/**
 * Reading a Deployment's ReplicaSets as kube's deployment util does: which one is the new
 * RS (the oldest whose template equals the Deployment's, ignoring the hash label), which
 * are old, which are active (spec.replicas > 0), the orders kube sorts them in, and the
 * replica sums the status is made of.
 */
import { revisionOf } from './annotations.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import { specReplicas, type Deployment, type ReplicaSet } from './types.js';
import { timeOf } from '../common/time.js';

type Maybe = ReplicaSet | undefined;

/** ReplicaSetsByCreationTimestamp: older first, then by name */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = timeOf(a.metadata.creationTimestamp) || 0;
  const tb = timeOf(b.metadata.creationTimestamp) || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: bigger first; equal sizes older first (scale down old ones first) */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);

/** ReplicaSetsBySizeNewer: bigger first; equal sizes newer first (scale up new ones first) */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);

/** ReplicaSetsByRevision: lower revision first, then older first */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra !== rb ? ra - rb : byCreationTimestamp(a, b);
}

/** FilterActiveReplicaSets: those that have (or ought to have) pods */
export const filterActive = (replicaSets: readonly Maybe[]): ReplicaSet[] => replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);

/** FindNewReplicaSet: the oldest RS whose template is the Deployment's */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** FindOldReplicaSets: every RS but the new one (allOld), and those of them with replicas (requiredOld) */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { requiredOld: ReplicaSet[]; allOld: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOld = rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { requiredOld: allOld.filter((rs) => specReplicas(rs) !== 0), allOld };
}

/**
 * FindActiveOrLatest: the only active RS, or the newest RS when none is active; undefined
 * when several are active (they must be scaled in proportion).
 */
export function findActiveOrLatest(newRS: Maybe, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

const sum = (replicaSets: readonly Maybe[], value: (rs: ReplicaSet) => number | undefined): number =>
  replicaSets.reduce((total, rs) => total + (rs ? (value(rs) ?? 0) : 0), 0);

/** GetReplicaCountForReplicaSets: the sum of spec.replicas */
export const replicaCount = (replicaSets: readonly Maybe[]): number => sum(replicaSets, specReplicas);
/** GetActualReplicaCountForReplicaSets: the sum of status.replicas */
export const actualReplicaCount = (replicaSets: readonly Maybe[]): number => sum(replicaSets, (rs) => rs.status?.replicas);
export const readyReplicaCount = (replicaSets: readonly Maybe[]): number => sum(replicaSets, (rs) => rs.status?.readyReplicas);
export const availableReplicaCount = (replicaSets: readonly Maybe[]): number => sum(replicaSets, (rs) => rs.status?.availableReplicas);
