/**
 * Directory work shared by both drivers: rmdir with a short retry (a cgroup stays busy for
 * a moment after its last process exited), and listing a cgroup subtree children-first (the
 * only order in which rmdir can remove a tree: a cgroup with child cgroups is EBUSY).
 */
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CriError } from '../../../cri/errors.js';
import type { CgroupDriverOptions } from './cgroup-driver.js';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** rmdir one cgroup directory; absent is fine; EBUSY is retried, then reported */
export async function removeCgroupDir(dir: string, opts: CgroupDriverOptions = {}): Promise<void> {
  const attempts = opts.removeAttempts ?? 20;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if ((code === 'EBUSY' || code === 'ENOTEMPTY') && attempt < attempts) {
        await sleep(opts.removeRetryMs ?? 25);
        continue;
      }
      throw new CriError('Internal', `cannot remove cgroup ${dir}: ${(err as Error).message}`);
    }
  }
}

/** sub-directories below `dir`, relative to it ('a', 'a/b'), children before parents */
export async function listSubdirsPostOrder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      await walk(child);
      out.push(child);
    }
  };
  await walk('');
  return out;
}

/**
 * Merge post-order lists from several hierarchies (v1 has one per controller) into one
 * post-order list of unique paths: a path comes after all of its descendants.
 */
export function mergePostOrder(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort(comparePostOrder);
}

/** the order of a post-order walk with siblings by name: segment-wise, a descendant before its ancestor */
export function comparePostOrder(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return sb.length - sa.length; // the longer one (the descendant) first
}

/** '/k8ts-x/pod1/c' → 'k8ts-x/pod1/c' (joinable under a hierarchy root); rejects '..' */
export function relativeCgroupPath(cgroupsPath: string): string {
  const parts = cgroupsPath.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) throw new CriError('InvalidArgument', `cgroup path ${cgroupsPath} must not contain '..'`);
  return parts.join('/');
}
