/**
 * The container rootfs code's view of mountinfo (parsed by ../../../mountinfo.ts): the mount
 * points under a bundle, in the order to unmount them.
 */
import { isAtOrUnder, type MountInfoEntry } from '../../../mountinfo.js';

export { parseMountInfo, unescapeMountField, type MountInfoEntry } from '../../../mountinfo.js';

/** mount points equal to or below dir, deepest first (the order to unmount them in) */
export function mountPointsUnder(entries: MountInfoEntry[], dir: string): string[] {
  const under = entries.map((e) => e.mountPoint).filter((m) => isAtOrUnder(m, dir));
  return [...new Set(under)].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : a > b ? -1 : 0));
}
