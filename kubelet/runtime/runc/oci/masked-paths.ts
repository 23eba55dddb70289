/**
 * /proc and /sys paths hidden (masked: /dev/null or an empty read-only tmpfs over them) or
 * made read-only in unprivileged containers, so a container cannot read kernel memory,
 * keys or timer internals, nor write kernel tunables. These are the runtime defaults
 * (containerd's oci.populateDefaultUnixSpec list, plus /sys/devices/virtual/powercap, which
 * containerd and the kubelet's DefaultProcMount added after the RAPL power side channel);
 * the kubelet may send its own lists in the security context, and those win. Privileged
 * containers get neither.
 *
 * An empty list counts as "not given": CRI's wire form cannot tell an empty repeated field
 * from an absent one, and a kubelet that never fills the field must not get an unmasked
 * /proc. (containerd masks nothing unless the kubelet sends lists — the kubelet always does
 * for the Default procMount; k8ts keeps the defaults instead.)
 */

export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

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
