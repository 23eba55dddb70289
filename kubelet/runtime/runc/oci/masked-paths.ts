/**
 * The masked and read-only /proc and /sys paths of a container's OCI spec. The defaults are
 * the kubelet's own lists (../../../cri/default-proc-paths.ts, one list for both ends);
 * the kubelet may send its own lists in the security context, and those win. Privileged
 * containers get neither.
 *
 * An empty list counts as "not given": CRI's wire form cannot tell an empty repeated field
 * from an absent one, and a kubelet that never fills the field must not get an unmasked
 * /proc. (containerd masks nothing unless the kubelet sends lists — the kubelet always does
 * for the Default procMount; k8ts keeps the defaults instead.)
 */
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../../cri/default-proc-paths.js';

export { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS };

export function maskedAndReadonlyPaths(
  privileged: boolean,
  configMasked: readonly string[] | undefined,
  configReadonly: readonly string[] | undefined,
): { maskedPaths: string[]; readonlyPaths: string[] } {
  if (privileged) return { maskedPaths: [], readonlyPaths: [] };
  return {
    maskedPaths: [...(configMasked?.length ? configMasked : DEFAULT_MASKED_PATHS)],
    readonlyPaths: [...(configReadonly?.length ? configReadonly : DEFAULT_READONLY_PATHS)],
  };
}
