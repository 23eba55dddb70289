/**
 * Real overlay mounts (root needed; skipped otherwise): a 3-layer mount with a whiteout in
 * a middle layer, a 70-layer mount whose absolute option string exceeds a page (mounted with
 * relative paths from the common dir), isMountPoint/mountsUnder through mountinfo (a path
 * with a space), and unmount of a busy mount (lazy fallback). Leaves no mount behind.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { overlayOptions } from './overlay-options.js';
import { isMountPoint, mountOverlay, mountsUnder, unmount } from './overlay.js';

const skip = process.getuid?.() !== 0 ? 'overlay host cases need root' : false;

t.test('overlay mounts on this host', { skip, timeout: 120_000 }, async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'k8ts-H3b-ovl '));
  t.teardown(async () => {
    for (const m of await mountsUnder(base)) await unmount(m).catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  t.test('layers top first, writes land in upper, whiteout hides a lower file', async (t) => {
    const dirs = ['l1', 'l2', 'l3', 'upper', 'work', 'merged'].map((d) => join(base, 'small', d));
    for (const d of dirs) await mkdir(d, { recursive: true });
    const [l1, l2, l3, upper, work, merged] = dirs as [string, string, string, string, string, string];
    await writeFile(join(l1, 'a'), 'from l1');
    await writeFile(join(l1, 'gone'), 'hidden');
    await writeFile(join(l2, 'a'), 'from l2');
    const mknod = spawn('mknod', [join(l2, 'gone'), 'c', '0', '0']);
    await new Promise((r) => mknod.once('exit', r));
    await writeFile(join(l3, 'b'), 'from l3');
    await mountOverlay({ lowerDirs: [l3, l2, l1], upperDir: upper, workDir: work, target: merged });
    t.ok(await isMountPoint(merged), 'mounted (path with a space)');
    t.equal(await readFile(join(merged, 'a'), 'utf8'), 'from l2', 'upper layer wins');
    t.equal(await readFile(join(merged, 'b'), 'utf8'), 'from l3');
    await t.rejects(readFile(join(merged, 'gone')), { code: 'ENOENT' }, 'whiteout hides it');
    await writeFile(join(merged, 'new'), 'x');
    t.equal(await readFile(join(upper, 'new'), 'utf8'), 'x', 'writes land in upper');
    t.same(await mountsUnder(join(base, 'small')), [merged]);
    await unmount(merged);
    t.notOk(await isMountPoint(merged));
    await unmount(merged); // not mounted: fine
  });

  t.test('70 layers with long paths: mounted relative to the common dir', async (t) => {
    const root = join(base, 'snapshots-with-a-rather-long-directory-name-to-push-the-option-string-past-one-page');
    const lowerDirs: string[] = [];
    for (let i = 70; i >= 1; i--) {
      const dir = join(root, String(i), 'fs');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `f${i}`), String(i));
      lowerDirs.push(dir);
    }
    const upperDir = join(root, 'c', 'upper');
    const workDir = join(root, 'c', 'work');
    const target = join(root, 'c', 'rootfs');
    for (const d of [upperDir, workDir, target]) await mkdir(d, { recursive: true });
    const plan = overlayOptions({ lowerDirs, upperDir, workDir });
    t.equal(plan.cwd, root, 'relative form chosen');
    await mountOverlay({ lowerDirs, upperDir, workDir, target });
    t.equal(await readFile(join(target, 'f1'), 'utf8'), '1');
    t.equal(await readFile(join(target, 'f70'), 'utf8'), '70');
    // busy: a process with its cwd inside → plain umount fails, lazy umount detaches
    const holder = spawn('sleep', ['30'], { cwd: target, stdio: 'ignore' });
    await new Promise((r) => holder.once('spawn', r));
    await unmount(target);
    t.notOk(await isMountPoint(target), 'detached even though busy');
    holder.kill('SIGKILL');
  });

  t.test('nothing left mounted', async (t) => {
    t.same(await mountsUnder(base), []);
  });
});
