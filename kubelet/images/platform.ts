/**
 * Platforms (os/architecture/variant) and choosing one manifest from a multi-arch image
 * index or Docker manifest list, with containerd's rules (containerd/platforms: Normalize,
 * Only, Ordered), because that is what decides which image a real node runs:
 *
 *  - names are normalised first: x86_64 → amd64, aarch64 → arm64, arm64 variant v8 (or 8)
 *    → no variant, amd64 variant v1 → no variant, armhf → arm/v7, i386 → 386 …;
 *  - a host accepts an ordered list of platforms, best first: linux/amd64/v3 accepts
 *    amd64/v3, v2, amd64, then 386; linux/arm64 accepts arm64, then arm/v8 … arm/v5;
 *  - among the index entries that match, the best-ranked platform wins, ties keep index
 *    order; entries without a platform are candidates too, after all the others (their
 *    config says what they are, so the puller must check it).
 *
 * Worked example: host linux/arm64/v8, index [linux/amd64, linux/arm64/v8, linux/arm/v7]
 * → linux/arm64/v8 (same as linux/arm64 after normalisation); with only [linux/amd64,
 * linux/arm/v7] → linux/arm/v7; with only [linux/amd64] → NoMatchingPlatformError listing
 * linux/amd64. Pure functions, no I/O.
 */

import type { Platform } from './oci-types.js';

export type { Platform };

/** An index entry as far as platform selection cares: descriptors of manifest.ts fit. */
export interface PlatformCandidate {
  platform?: Platform;
}

/**
 * The platform this process runs on, in OCI terms. Node's process.arch names differ from
 * GOARCH (x64, ia32, ppc64 for little-endian ppc64le); arm64 hosts report variant v8, as
 * containerd's DefaultSpec does on linux.
 */
export function hostPlatform(arch: string = process.arch, os: string = process.platform): Platform {
  const architecture = NODE_ARCH_TO_OCI[arch] ?? arch;
  const variant = architecture === 'arm64' ? 'v8' : architecture === 'arm' ? 'v7' : undefined;
  return { os: os === 'win32' ? 'windows' : os, architecture, ...(variant ? { variant } : {}) };
}

const NODE_ARCH_TO_OCI: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** containerd's Normalize: canonical os, architecture and variant names, lower case. */
export function normalizePlatform(platform: Platform): Platform {
  let os = platform.os.toLowerCase();
  if (os === 'macos') os = 'darwin';
  let architecture = platform.architecture.toLowerCase();
  let variant = (platform.variant ?? '').toLowerCase();
  switch (architecture) {
    case 'i386':
      architecture = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
  }
  return {
    os,
    architecture,
    ...(variant ? { variant } : {}),
    ...(platform['os.version'] !== undefined ? { 'os.version': platform['os.version'] } : {}),
  };
}

/**
 * containerd's platformVector: the platforms a host of this kind runs, best first (older
 * amd64 micro-architecture levels and 386 on amd64; arm/v8 down to arm/v5 on arm64 and
 * arm). Each entry is normalised.
 */
export function acceptedPlatforms(host: Platform): Platform[] {
  const best = normalizePlatform(host);
  const out: Platform[] = [best];
  const level = (variant: string | undefined): number => Number.parseInt((variant ?? '').replace(/^v/, ''), 10);
  switch (best.architecture) {
    case 'amd64': {
      const version = level(best.variant);
      if (version > 1) {
        for (let v = version - 1; v >= 1; v--) out.push(normalizePlatform({ os: best.os, architecture: 'amd64', variant: `v${v}` }));
      }
      out.push({ os: best.os, architecture: '386' });
      break;
    }
    case 'arm64':
      out.push(...armDownFrom(best.os, 8));
      break;
    case 'arm': {
      const version = level(best.variant);
      if (version > 5) out.push(...armDownFrom(best.os, version - 1));
      break;
    }
  }
  return dedupe(out);
}

function armDownFrom(os: string, version: number): Platform[] {
  const out: Platform[] = [];
  for (let v = version; v >= 5; v--) out.push({ os, architecture: 'arm', variant: `v${v}` });
  return out;
}

function dedupe(platforms: Platform[]): Platform[] {
  const seen = new Set<string>();
  return platforms.filter((p) => {
    const key = formatPlatform(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** containerd's Format: `os/architecture[/variant]`, as errors and logs show platforms. */
export function formatPlatform(platform: Platform): string {
  const parts = [platform.os || 'unknown', platform.architecture];
  if (platform.variant) parts.push(platform.variant);
  return parts.join('/');
}

/**
 * Rank of a platform among the accepted ones (0 = best), or -1 when the host cannot run it.
 * Matching compares normalised os, architecture and variant; os.version is not compared
 * (it only matters for Windows images).
 */
export function platformRank(accepted: readonly Platform[], candidate: Platform): number {
  const want = normalizePlatform(candidate);
  return accepted.findIndex(
    (p) => p.os === want.os && p.architecture === want.architecture && (p.variant ?? '') === (want.variant ?? ''),
  );
}

/** No entry of an index fits the host; the message lists what the image offers. */
export class NoMatchingPlatformError extends Error {
  override name = 'NoMatchingPlatformError';
  constructor(
    readonly wanted: Platform,
    readonly available: string[],
  ) {
    // containerd's wording ("no match for platform in manifest: not found"), plus what
    // was wanted and offered, so that ErrImagePull tells the user why.
    super(
      `no match for platform in manifest: not found (host platform ${formatPlatform(wanted)}; ` +
        `image provides ${available.length ? available.join(', ') : 'no platforms'})`,
    );
  }
}

/**
 * The index entries this host can run, best first (containerd's images.Manifest order):
 * matching platforms by rank, ties in index order, then entries without a platform.
 * Entries for platforms the host cannot run (attestations say unknown/unknown) are dropped.
 */
export function rankCandidates<T extends PlatformCandidate>(entries: readonly T[], host: Platform): T[] {
  const accepted = acceptedPlatforms(host);
  const ranked = entries
    .map((entry, index) => ({ entry, index, rank: entry.platform ? platformRank(accepted, entry.platform) : Infinity }))
    .filter((r) => r.rank !== -1);
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.map((r) => r.entry);
}

/**
 * The one entry of an index to pull for this host. Throws NoMatchingPlatformError when none
 * fits. An entry without a platform is returned only when nothing better matches; its
 * config must then be checked with `platformRank(acceptedPlatforms(host), configPlatform)`.
 */
export function selectManifest<T extends PlatformCandidate>(entries: readonly T[], host: Platform = hostPlatform()): T {
  const [best] = rankCandidates(entries, host);
  if (best !== undefined) return best;
  const available = entries.flatMap((e) => (e.platform ? [formatPlatform(e.platform)] : []));
  throw new NoMatchingPlatformError(host, [...new Set(available)]);
}
