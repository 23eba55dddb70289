/**
 * A DaemonSet's ControllerRevisions (kube's constructHistory, snapshot, dedupCurHistories
 * and cleanupHistory in pkg/controller/daemon/update.go). The revision whose data equals
 * the template now is the current one; its `controller-revision-hash` label is the hash
 * new pods get. Unlike the StatefulSet's, a DaemonSet's revision is named by the hash of
 * the template itself: `<ds>-<hash(template, collisionCount)>`.
 */
import { isAlreadyExists } from '../../client/api-error.js';
import type { ResourceClient } from '../../client/types.js';
import { getControllerOf } from '../common/controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import type { ControllerHistory } from '../history/controller-history.js';
import {
  canonicalJson,
  CONTROLLER_REVISION_HASH_LABEL,
  hashControllerRevision,
  maxRevision,
  newControllerRevision,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from '../history/controller-revision.js';
import type { DaemonSet, Pod } from './daemon-pod-predicates.js';
import { DAEMONSET_HASH_LABEL } from './daemonset-pods.js';

/** Match: the revision holds exactly this DaemonSet's template */
export const matchesTemplate = (ds: DaemonSet, revision: ControllerRevision): boolean => canonicalJson(templatePatch(ds)) === canonicalJson(revision.data);

/** the revision a DaemonSet's template would have now (name, hash label, data) */
export function daemonSetRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const hash = hashControllerRevision(ds.spec?.template ?? {}, ds.status?.collisionCount ?? undefined);
  const cr = newControllerRevision({
    owner: ds,
    ownerApiVersion: 'apps/v1',
    ownerKind: 'DaemonSet',
    templateLabels: { ...ds.spec?.template?.metadata?.labels, [DAEMONSET_HASH_LABEL]: hash },
    data: templatePatch(ds),
    revision,
    ...(ds.metadata?.annotations ? { annotations: ds.metadata.annotations } : {}),
  });
  // named by the template hash, as kube's snapshot does (not by the data's hash)
  const labels = { ...cr.metadata?.labels };
  delete labels[CONTROLLER_REVISION_HASH_LABEL];
  cr.metadata = { ...cr.metadata, name: `${ds.metadata?.name}-${hash}`, labels };
  return cr;
}

export interface HistoryIo {
  history: ControllerHistory;
  daemonSets: ResourceClient<DaemonSet>;
  pods: ResourceClient<Pod>;
}

/**
 * constructHistory: the current revision (created, or deduplicated and renumbered as
 * the newest) and the old ones. Writes only when something is missing or out of date.
 */
export async function constructHistory(io: HistoryIo, ds: DaemonSet, revisions: readonly ControllerRevision[], pods: readonly Pod[]): Promise<{ current: ControllerRevision; old: ControllerRevision[] }> {
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let revision of revisions) {
    // older revisions may lack the hash label: their name stands in for it
    if (!revision.metadata?.labels?.[DAEMONSET_HASH_LABEL]) {
      const clone = structuredClone(revision);
      clone.metadata = { ...clone.metadata, labels: { ...clone.metadata?.labels, [DAEMONSET_HASH_LABEL]: clone.metadata?.name ?? '' } };
      revision = await io.history.revisions.update(clone, { fieldManager: CONTROLLER_FIELD_MANAGER });
    }
    (matchesTemplate(ds, revision) ? current : old).push(revision);
  }
  const wantedRevision = maxRevision(old) + 1;
  if (current.length === 0) return { current: await snapshot(io, ds, wantedRevision), old };
  let cur = await dedupCurrent(io, ds, current, pods);
  if (Number(cur.revision ?? 0) < wantedRevision) cur = await io.history.renumber(cur, wantedRevision);
  return { current: cur, old };
}

/** snapshot: create the revision; a name taken by other data is a hash collision */
async function snapshot(io: HistoryIo, ds: DaemonSet, revision: number): Promise<ControllerRevision> {
  const wanted = daemonSetRevision(ds, revision);
  try {
    return await io.history.revisions.create(wanted, { fieldManager: CONTROLLER_FIELD_MANAGER });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const namespace = ds.metadata?.namespace ?? '';
  const existing = await io.history.revisions.get(wanted.metadata?.name ?? '', { namespace });
  if (getControllerOf(existing)?.uid === ds.metadata?.uid && matchesTemplate(ds, existing)) return existing;
  // a collision: count it so the next sync hashes to another name
  const fresh = await io.daemonSets.get(ds.metadata?.name ?? '', { namespace });
  fresh.status = { ...fresh.status!, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 };
  await io.daemonSets.updateStatus(fresh, { fieldManager: CONTROLLER_FIELD_MANAGER });
  throw new Error(`found a stale ControllerRevision ${namespace}/${wanted.metadata?.name} with a hash collision; collisionCount of DaemonSet ${namespace}/${ds.metadata?.name} raised`);
}

/** dedupCurHistories: keep the newest of equal revisions; relabel their pods; delete the rest */
async function dedupCurrent(io: HistoryIo, ds: DaemonSet, current: ControllerRevision[], pods: readonly Pod[]): Promise<ControllerRevision> {
  if (current.length === 1) return current[0]!;
  const sorted = sortRevisions(current);
  const keep = sorted[sorted.length - 1]!;
  const keepHash = keep.metadata?.labels?.[DAEMONSET_HASH_LABEL] ?? '';
  for (const dup of sorted.slice(0, -1)) {
    const dupHash = dup.metadata?.labels?.[DAEMONSET_HASH_LABEL];
    for (const pod of pods) {
      if (!dupHash || pod.metadata?.labels?.[DAEMONSET_HASH_LABEL] !== dupHash) continue;
      await io.pods.patch(pod.metadata?.name ?? '', 'merge', { metadata: { labels: { [DAEMONSET_HASH_LABEL]: keepHash } } }, { namespace: pod.metadata?.namespace ?? '', fieldManager: CONTROLLER_FIELD_MANAGER });
    }
    await io.history.delete(dup);
  }
  return keep;
}

/** cleanupHistory: old revisions beyond revisionHistoryLimit that no pod still uses, oldest first */
export function historyToClean(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): ControllerRevision[] {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  let toKill = old.length - limit;
  if (toKill <= 0) return [];
  const liveHashes = new Set(pods.map((p) => p.metadata?.labels?.[DAEMONSET_HASH_LABEL]).filter((h): h is string => Boolean(h)));
  const out: ControllerRevision[] = [];
  for (const revision of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (liveHashes.has(revision.metadata?.labels?.[DAEMONSET_HASH_LABEL] ?? '')) continue;
    out.push(revision);
    toKill--;
  }
  return out;
}
