/**
 * What GET /version answers, in the shape of Kubernetes' version.Info. kubectl and the
 * client libraries read major/minor to pick behaviour, so we claim the Kubernetes minor
 * whose API we follow and put our own version in the gitVersion suffix.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '33';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The package root: the nearest directory above this module with k8ts' package.json (works from sources and dist/). */
function packageRoot(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'k8ts') return { dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // no package.json here
    }
    const up = dirname(dir);
    if (up === dir) return { dir, version: '0.0.0' };
    dir = up;
  }
}

/** Best effort: the commit checked out in the package's git repository, '' when not a checkout. */
function gitCommit(root: string): string {
  try {
    let gitDir = join(root, '.git');
    if (statSync(gitDir).isFile()) gitDir = readFileSync(gitDir, 'utf8').replace(/^gitdir: /, '').trim(); // worktree
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (ref === undefined) return head;
    const common = (() => {
      try {
        return join(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
      } catch {
        return gitDir;
      }
    })();
    try {
      return readFileSync(join(common, ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
      return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? '';
    }
  } catch {
    return '';
  }
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };

let cached: { k8ts: string; info: VersionInfo } | undefined;

function load() {
  if (cached) return cached;
  const root = packageRoot();
  const built = statSync(fileURLToPath(import.meta.url)).mtime;
  const info: VersionInfo = {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0-k8ts.${root.version}`,
    gitCommit: gitCommit(root.dir),
    gitTreeState: '',
    buildDate: built.toISOString().replace(/\.\d+Z$/, 'Z'),
    // Kubernetes reports its Go toolchain here; we report the JavaScript runtime.
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  };
  cached = { k8ts: root.version, info };
  return cached;
}

/** k8ts' own version (package.json), for `k8ts --version`. */
export const k8tsVersion = (): string => load().k8ts;

export const kubeVersionInfo = (): VersionInfo => ({ ...load().info });
