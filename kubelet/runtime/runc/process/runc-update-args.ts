/**
 * CRI UpdateContainerResources → `runc update` flags (pure, table-tested). CRI uses 0 for
 * "not set" in every field, so only non-zero/non-empty fields become flags (runc leaves the
 * others as they are). oom_score_adj cannot change after start (runc has no flag; CRI-O
 * ignores it too).
 *
 * Memory and swap: on cgroup v1 with swap accounting the runtime creates containers with
 * memory+swap = memory (no swap use, like kubelet's default); raising only the memory limit
 * above that memsw value fails in the kernel, so with `swapEqualsMemory` both move together.
 */
import type { LinuxContainerResources } from '../../../cri/api.js';

export function runcUpdateArgs(resources: Partial<LinuxContainerResources>, swapEqualsMemory: boolean): string[] {
  const args: string[] = [];
  if (resources.cpuPeriod && resources.cpuPeriod > 0) args.push('--cpu-period', String(resources.cpuPeriod));
  if (resources.cpuQuota && resources.cpuQuota !== 0) args.push('--cpu-quota', String(resources.cpuQuota));
  if (resources.cpuShares && resources.cpuShares > 0) args.push('--cpu-share', String(resources.cpuShares));
  if (resources.memoryLimitInBytes && resources.memoryLimitInBytes > 0) {
    args.push('--memory', String(resources.memoryLimitInBytes));
    if (swapEqualsMemory) args.push('--memory-swap', String(resources.memoryLimitInBytes));
  }
  if (resources.cpusetCpus) args.push('--cpuset-cpus', resources.cpusetCpus);
  if (resources.cpusetMems) args.push('--cpuset-mems', resources.cpusetMems);
  return args;
}
