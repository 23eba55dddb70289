/**
 * The /proc and /sys paths an unprivileged container must not see (masked: /dev/null or an
 * empty read-only tmpfs over them) or must not write (read-only), so it cannot read kernel
 * memory, keys or timer internals, nor change kernel tunables. One list for both ends of
 * the CRI: the kubelet sends it for the Default procMount (kube's DefaultProcMount lists in
 * pkg/securitycontext, kept in step with moby's, with /sys/devices/virtual/powercap added
 * after the RAPL power side channel), and the runc runtime falls back to it when a request
 * carries none.
 */

export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
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
