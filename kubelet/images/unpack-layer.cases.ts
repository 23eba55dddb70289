import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { packTar, type Header } from './build-image.js';
import { sha256Digest } from './digest.js';
import { findSetfattr } from './overlay-whiteouts.js';
import { UnsafeLayerError, unpackLayer, type UnpackOptions, type UnpackResult } from './unpack-layer.js';
import { tempDir } from './testing/temp-dir.js';

const isRoot = process.getuid?.() === 0;
const MTIME = new Date('2020-01-02T03:04:05Z');

type Entry = { header: Header; body?: Buffer };
const file = (name: string, content: string, extra: Partial<Header> = {}): Entry => ({
  header: { name, type: 'file', mode: 0o644, mtime: MTIME, size: Buffer.byteLength(content), ...extra },
  body: Buffer.from(content),
});
const dir = (name: string, extra: Partial<Header> = {}): Entry => ({
  header: { name, type: 'directory', mode: 0o755, mtime: MTIME, ...extra },
});
const symlink = (name: string, target: string): Entry => ({
  header: { name, type: 'symlink', linkname: target, mode: 0o777, mtime: MTIME },
});
const hardlink = (name: string, target: string): Entry => ({
  header: { name, type: 'link', linkname: target, mode: 0o644, mtime: MTIME },
});

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

interface Ctx {
  root: string;
  /** A directory beside root that nothing may ever write into. */
  outside: string;
  result: UnpackResult;
}

interface Case {
  name: string;
  entries: (outside: string) => Entry[];
  options?: UnpackOptions;
  gzip?: boolean;
  error?: RegExp | (new (...args: never[]) => Error);
  check?: (t: Tap, ctx: Ctx) => Promise<void>;
}
type Tap = Test;

// A unique name, so a real /tmp escape would be noticed and never collide.
const pwned = `k8ts-pwned-${randomBytes(4).toString('hex')}`;

const cases: Case[] = [
  {
    name: 'normal layer: files, dirs, modes, mtimes, symlink, hardlink',
    gzip: true,
    entries: () => [
      dir('etc/', { mode: 0o750, uid: 1234, gid: 4321 }),
      file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n', { uid: 1234, gid: 4321 }),
      dir('bin/'),
      file('bin/tool', '#!/bin/sh\n', { mode: 0o4755 }),
      symlink('bin/sh', 'tool'),
      hardlink('bin/tool2', 'bin/tool'),
      dir('tmp/', { mode: 0o1777 }),
      file('deep/implied/parent', 'x'),
    ],
    check: async (t, { root, result }) => {
      t.equal(result.entries, 8);
      t.same(result.skipped, []);
      t.equal(await fs.readFile(path.join(root, 'etc/passwd'), 'utf8'), 'root:x:0:0::/root:/bin/sh\n');
      const etc = await fs.stat(path.join(root, 'etc'));
      t.equal(etc.mode & 0o7777, 0o750, 'dir mode kept');
      t.equal(etc.mtime.getTime(), MTIME.getTime(), 'dir mtime kept');
      t.equal((await fs.stat(path.join(root, 'bin/tool'))).mode & 0o7777, 0o4755, 'setuid kept');
      t.equal((await fs.stat(path.join(root, 'tmp'))).mode & 0o7777, 0o1777, 'sticky kept');
      t.equal((await fs.stat(path.join(root, 'etc/passwd'))).mtime.getTime(), MTIME.getTime(), 'file mtime kept');
      t.equal(await fs.readlink(path.join(root, 'bin/sh')), 'tool');
      t.equal((await fs.stat(path.join(root, 'bin/tool2'))).ino, (await fs.stat(path.join(root, 'bin/tool'))).ino, 'hardlink');
      t.equal(await fs.readFile(path.join(root, 'deep/implied/parent'), 'utf8'), 'x');
      if (isRoot) {
        const st = await fs.stat(path.join(root, 'etc/passwd'));
        t.same([st.uid, st.gid], [1234, 4321], 'ownership kept as root');
      }
      t.match(result.diffId, /^sha256:[0-9a-f]{64}$/);
    },
  },
  {
    name: '../evil is skipped',
    entries: () => [file('../evil', 'x'), file('a/../../evil2', 'x'), file('ok', 'fine')],
    check: async (t, { root, result }) => {
      t.same(
        result.skipped.map((s) => s.name),
        ['../evil', 'a/../../evil2'],
      );
      t.equal(await exists(path.join(root, '..', 'evil')), false);
      t.equal(await exists(path.join(root, '..', 'evil2')), false);
      t.equal(await fs.readFile(path.join(root, 'ok'), 'utf8'), 'fine');
    },
  },
  {
    name: '../evil fails the layer when asked',
    options: { onUnsafeEntry: 'fail' },
    entries: () => [file('../evil', 'x')],
    error: UnsafeLayerError,
  },
  {
    name: 'absolute paths are skipped',
    entries: (outside) => [file(`${outside}/abs`, 'x'), file(`/tmp/${pwned}`, 'x')],
    check: async (t, { outside, result }) => {
      t.equal(result.skipped.length, 2);
      t.match(result.skipped[0]!.reason, /absolute/);
      t.equal(await exists(path.join(outside, 'abs')), false);
      t.equal(await exists(`/tmp/${pwned}`), false);
    },
  },
  {
    name: 'symlink escape: x -> /tmp, then x/pwned',
    entries: () => [symlink('x', '/tmp'), file(`x/${pwned}`, 'gotcha')],
    check: async (t, { root }) => {
      t.equal(await exists(`/tmp/${pwned}`), false, 'nothing in the real /tmp');
      t.equal(await fs.readFile(path.join(root, 'tmp', pwned), 'utf8'), 'gotcha', 'resolved inside the root');
      t.equal(await fs.readlink(path.join(root, 'x')), '/tmp', 'the symlink itself is kept');
    },
  },
  {
    name: 'symlink escape through an absolute link to a directory beside the root',
    entries: (outside) => [symlink('x', outside), file('x/pwned', 'gotcha'), dir('x/sub/'), file('x/sub/f', 'y')],
    check: async (t, { root, outside }) => {
      t.same(await fs.readdir(outside), [], 'outside untouched');
      t.equal(await fs.readFile(path.join(root, outside, 'pwned'), 'utf8'), 'gotcha');
    },
  },
  {
    name: 'symlink escape through ../../.. and chains of links',
    entries: () => [symlink('up', '../../../..'), symlink('a', 'up'), symlink('b', 'a/'), file('b/pwned', 'gotcha')],
    check: async (t, { root, outside }) => {
      t.same(await fs.readdir(outside), []);
      t.equal(await fs.readFile(path.join(root, 'pwned'), 'utf8'), 'gotcha', '.. stops at the root');
    },
  },
  {
    name: 'a file entry replaces a symlink instead of writing through it',
    entries: (outside) => [symlink('z', `${outside}/target`), file('z', 'replaced')],
    check: async (t, { root, outside }) => {
      t.same(await fs.readdir(outside), []);
      const st = await fs.lstat(path.join(root, 'z'));
      t.ok(st.isFile());
      t.equal(await fs.readFile(path.join(root, 'z'), 'utf8'), 'replaced');
    },
  },
  {
    name: 'a symlink loop is skipped, not followed forever',
    entries: () => [symlink('l1', 'l2'), symlink('l2', 'l1'), file('l1/f', 'x'), file('ok', 'y')],
    check: async (t, { root, result }) => {
      t.equal(result.skipped.length, 1);
      t.match(result.skipped[0]!.reason, /too many levels/);
      t.equal(await fs.readFile(path.join(root, 'ok'), 'utf8'), 'y');
    },
  },
  {
    name: 'hardlinks outside the tree are skipped',
    entries: (outside) => [
      hardlink('h1', '../../../../etc/passwd'),
      hardlink('h2', '/etc/passwd'),
      symlink('s', '/etc'),
      hardlink('h3', 's/passwd'),
      hardlink('h4', `${outside}/secret`.slice(1)),
      dir('d/'),
      hardlink('h5', 'd'),
    ],
    check: async (t, { root, result }) => {
      t.same(
        result.skipped.map((s) => s.name),
        ['h1', 'h2', 'h3', 'h4', 'h5'],
      );
      for (const h of ['h1', 'h2', 'h3', 'h4', 'h5']) t.equal(await exists(path.join(root, h)), false, h);
    },
  },
  {
    name: 'whiteouts and opaque dirs become overlay markers',
    entries: () => [dir('etc/'), file('etc/.wh.motd', ''), dir('var/'), file('var/.wh..wh..opq', ''), file('var/new', 'n'), file('.wh.gone', '')],
    check: async (t, { root, result }) => {
      t.same(result.whiteouts, ['etc/motd', 'gone']);
      t.same(result.opaqueDirs, ['var']);
      t.equal(await exists(path.join(root, 'etc/.wh.motd')), false, 'no OCI marker file left');
      t.equal(await exists(path.join(root, 'var/.wh..wh..opq')), false);
      t.equal(await fs.readFile(path.join(root, 'var/new'), 'utf8'), 'n', 'same-layer content stays');
      t.equal(result.whiteoutDevicesCreated, isRoot);
      if (isRoot) {
        const st = await fs.lstat(path.join(root, 'etc/motd'));
        t.ok(st.isCharacterDevice(), 'whiteout is a char device');
        t.equal(st.rdev, 0, 'device 0:0');
      } else {
        t.equal(await exists(path.join(root, 'etc/motd')), false);
      }
      const setfattr = await findSetfattr();
      t.equal(result.opaqueXattrsSet, isRoot && setfattr !== undefined, 'xattr set only with setfattr, as root');
    },
  },
  {
    name: 'read-only directory still gets its children',
    entries: () => [dir('ro/', { mode: 0o555 }), file('ro/f', 'x')],
    check: async (t, { root }) => {
      t.equal(await fs.readFile(path.join(root, 'ro/f'), 'utf8'), 'x');
      t.equal((await fs.stat(path.join(root, 'ro'))).mode & 0o7777, 0o555);
    },
  },
  {
    name: 'a directory replaced by a file, and AUFS metadata ignored',
    options: { onUnsafeEntry: 'fail' },
    entries: () => [dir('d/', { mode: 0o500 }), dir('d/sub/', { mode: 0o500 }), file('d', 'now a file'), dir('.wh..wh.plnk/'), file('.wh..wh.aufs', '')],
    check: async (t, { root, result }) => {
      t.equal(await fs.readFile(path.join(root, 'd'), 'utf8'), 'now a file');
      t.same(
        result.skipped.map((s) => s.name),
        ['.wh..wh.plnk/', '.wh..wh.aufs'],
      );
    },
  },
  {
    name: 'device nodes are skipped',
    entries: () => [{ header: { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 } }],
    check: async (t, { root, result }) => {
      t.equal(result.skipped.length, 1);
      t.equal(await exists(path.join(root, 'dev/null')), false);
    },
  },
  {
    name: 'diff_id mismatch fails',
    options: { expectedDiffId: sha256Digest('not this') },
    entries: () => [file('a', 'b')],
    error: /diff_id mismatch/,
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const base = await tempDir(t, 'unpack');
    const root = path.join(base, 'root');
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    const tar = await packTar(c.entries(outside));
    const blob = c.gzip ? gzipSync(tar) : tar;
    const run = unpackLayer(Readable.from([blob]), root, c.options);
    if (c.error) {
      await t.rejects(run, c.error);
      t.same(await fs.readdir(outside), []);
      return;
    }
    const result = await run;
    t.equal(result.diffId, sha256Digest(tar), 'diffId is the sha256 of the uncompressed tar');
    await c.check?.(t, { root, outside, result });
  });
}

t.test('a truncated gzip stream fails', async (t) => {
  const base = await tempDir(t, 'unpack');
  const gz = gzipSync(await packTar([file('a', 'x'.repeat(10000))]));
  await t.rejects(unpackLayer(Readable.from([gz.subarray(0, gz.length - 20)]), path.join(base, 'root')));
});

t.test('without root powers: whiteouts and opaque dirs are only reported', async (t) => {
  const base = await tempDir(t, 'unpack');
  const tar = await packTar([file('etc/.wh.motd', ''), file('var/.wh..wh..opq', ''), file('f', 'x', { uid: 7, gid: 7 })]);
  const result = await unpackLayer(Readable.from([tar]), path.join(base, 'root'), {
    whiteoutDevices: false,
    opaqueXattrs: false,
    preserveOwnership: false,
  });
  t.match(result, { whiteouts: ['etc/motd'], opaqueDirs: ['var'], whiteoutDevicesCreated: false, opaqueXattrsSet: false });
  t.equal(await exists(path.join(base, 'root/etc/motd')), false);
  t.equal((await fs.stat(path.join(base, 'root/f'))).uid, process.getuid?.() ?? 0, 'owned by the caller');
});

t.test('a layer written by GNU tar (PAX long names, hardlink, symlink) unpacks', async (t) => {
  if (!existsSync('/usr/bin/tar') && !existsSync('/bin/tar')) {
    t.pass('skipped: GNU tar is not installed');
    return;
  }
  const base = await tempDir(t, 'unpack');
  const src = path.join(base, 'src');
  const long = `${'d'.repeat(90)}/${'e'.repeat(90)}`;
  await fs.mkdir(path.join(src, long), { recursive: true });
  await fs.writeFile(path.join(src, long, `${'f'.repeat(120)}.txt`), 'long');
  await fs.writeFile(path.join(src, 'a'), 'hard');
  await fs.link(path.join(src, 'a'), path.join(src, 'b'));
  await fs.symlink(long, path.join(src, 'l'));
  const tarFile = path.join(base, 'layer.tar.gz');
  execFileSync('tar', ['--format=posix', '--numeric-owner', '-C', src, '-czf', tarFile, '.']);
  const result = await unpackLayer(createReadStream(tarFile), path.join(base, 'root'));
  t.same(result.skipped, []);
  const root = path.join(base, 'root');
  t.equal(await fs.readFile(path.join(root, long, `${'f'.repeat(120)}.txt`), 'utf8'), 'long');
  t.equal((await fs.stat(path.join(root, 'a'))).ino, (await fs.stat(path.join(root, 'b'))).ino);
  t.equal(await fs.readlink(path.join(root, 'l')), long);
});
