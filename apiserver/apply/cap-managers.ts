/**
 * kube keeps at most 10 Update entries (capManagersManager): past that, the oldest are
 * merged, per apiVersion, into an "ancient-changes" entry carrying the newest merged time.
 */
import { identityOf, type Managed, type ManagerInfo } from './managed-set.js';

export const MAX_UPDATE_MANAGERS = 10;
const BUCKET_MANAGER = 'ancient-changes';

const seconds = (time: string | undefined) => (time ? Math.floor(Date.parse(time) / 1000) : 0);

export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed].filter(([, e]) => e.info.operation === 'Update');
  if (updaters.length <= max) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, entry] of updaters) {
    if (count <= max) break;
    const version = entry.info.apiVersion;
    const bucketInfo: ManagerInfo = { manager: BUCKET_MANAGER, operation: 'Update', apiVersion: version };
    const bucketId = identityOf(bucketInfo);
    const first = firstByVersion.get(version);
    if (first === undefined) {
      firstByVersion.set(version, id);
      continue;
    }
    if (!managed.has(bucketId)) {
      const firstEntry = managed.get(first)!;
      managed.delete(first);
      managed.set(bucketId, { ...firstEntry, info: bucketInfo });
    }
    const bucket = managed.get(bucketId)!;
    const merged = { info: bucketInfo, set: entry.set.union(bucket.set), ...(entry.time ? { time: entry.time } : {}) };
    managed.delete(id);
    managed.set(bucketId, merged);
    count--;
  }
}
