/**
 * What a kubelet reports about its host in status.nodeInfo, read once at start: the
 * machine and boot ids, kernel and OS image, and the platform in Go's spelling (amd64,
 * arm64, linux) because schedulers and node selectors match on those names. Every value
 * has a fallback — a container without /etc/machine-id or a non-Linux dev machine must
 * still register — and every value can be overridden (in-process kubelets of one host
 * would otherwise all look like the same machine).
 */
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';

export interface HostInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
}

/** Node's process.arch → Go's GOARCH */
export function goArch(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };
  return map[arch] ?? arch;
}

/** Node's process.platform → Go's GOOS */
export function goOs(platform: string = process.platform): string {
  const map: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
  return map[platform] ?? platform;
}

/** PRETTY_NAME from an os-release file's text, e.g. 'Debian GNU/Linux 12 (bookworm)' */
export function prettyName(osRelease: string): string | undefined {
  const line = /^PRETTY_NAME=(.*)$/m.exec(osRelease)?.[1]?.trim();
  if (!line) return undefined;
  return line.replace(/^(["'])(.*)\1$/, '$2');
}

async function firstReadable(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      const text = (await readFile(path, 'utf8')).trim();
      if (text) return text;
    } catch {
      // unreadable or absent: try the next
    }
  }
  return undefined;
}

export async function detectHostInfo(overrides: Partial<HostInfo> = {}): Promise<HostInfo> {
  const machineID = overrides.machineID ?? (await firstReadable(['/etc/machine-id', '/var/lib/dbus/machine-id'])) ?? '';
  const osRelease = await firstReadable(['/etc/os-release', '/usr/lib/os-release']);
  const operatingSystem = overrides.operatingSystem ?? goOs();
  return {
    machineID,
    // product_uuid is root-only on most hosts; kubelet leaves it as it finds it, we fall back to the machine id
    systemUUID: overrides.systemUUID ?? (await firstReadable(['/sys/class/dmi/id/product_uuid'])) ?? machineID,
    bootID: overrides.bootID ?? (await firstReadable(['/proc/sys/kernel/random/boot_id'])) ?? '',
    kernelVersion: overrides.kernelVersion ?? release(),
    osImage: overrides.osImage ?? (osRelease ? prettyName(osRelease) : undefined) ?? operatingSystem,
    operatingSystem,
    architecture: overrides.architecture ?? goArch(),
  };
}
