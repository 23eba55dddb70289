/**
 * The mountinfo parser (../../../mountinfo.ts) as the network code and the no-trace check
 * use it: the kernel's own list is the only reliable answer to "is a network namespace
 * still pinned at this path?" (a leftover empty file looks the same to stat) and to
 * "which of our mounts are left?".
 */
export { mountsUnder, parseMountInfo, readMountInfo, type MountInfoEntry } from '../../../mountinfo.js';
