/**
 * Extracts one image layer (a tar, optionally gzipped) into a directory, safely, in the form
 * the overlay snapshotter stacks: one directory per layer, used as an overlayfs lowerdir
 * (top layer first, runtime-recipe §3). So whiteouts are not applied as deletions here; they
 * are converted to overlayfs markers that hide the lower layers' content at mount time.
 *
 * Safety (a layer comes from a registry, i.e. from anyone):
 *   - names that are absolute or climb above the root ("../evil") are skipped (or fail the
 *     layer with onUnsafeEntry: 'fail') and reported;
 *   - directories on the way to an entry are resolved inside the root (resolve-in-root.ts),
 *     so a symlink extracted earlier ("x -> /tmp", then "x/pwned") cannot redirect a write
 *     outside; the entry's own name is never followed: what is there is replaced;
 *   - hardlinks may only point at a non-directory already inside the tree;
 *   - device nodes and fifos are skipped (runc makes /dev); xattrs in PAX headers are not
 *     applied (Node cannot set xattrs).
 * Kept: permission bits (incl. setuid/sticky), mtimes, and uid/gid when running as root.
 * Directory modes and times are applied last, so a read-only directory can still be filled
 * and its mtime is not bumped by its children.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header } from 'tar-stream';
import { DigestCounter } from './digest.js';
import { classifyLayerEntry, entryParts } from './layer-entry-path.js';
import { makeWhiteoutDevice, setOpaqueXattrs } from './overlay-whiteouts.js';
import { resolveDirInRoot, UnsafePathError } from './resolve-in-root.js';

export interface UnpackOptions {
  /** 'auto' looks for the gzip magic bytes. */
  compression?: 'gzip' | 'none' | 'auto';
  /** Skip (default) or fail on entries that would land outside the target. */
  onUnsafeEntry?: 'skip' | 'fail';
  /** Keep uid/gid from the layer; default: when running as root. */
  preserveOwnership?: boolean;
  /** Create 0:0 character devices for whiteouts; default: when running as root (mknod needs it). */
  whiteoutDevices?: boolean;
  /** Set trusted.overlay.opaque on opaque dirs when setfattr exists; default: when running as root. */
  opaqueXattrs?: boolean;
  /** sha256 of the uncompressed tar (config.rootfs.diff_ids[i]); checked at the end. */
  expectedDiffId?: string;
}

export interface UnpackResult {
  /** sha256 of the uncompressed tar stream. */
  diffId: string;
  entries: number;
  /** Whiteouts, relative to the target, where a 0:0 char device was made (or should be). */
  whiteouts: string[];
  whiteoutDevicesCreated: boolean;
  /** Opaque directories, relative to the target ('' = the target itself). */
  opaqueDirs: string[];
  /** True when trusted.overlay.opaque was set on every opaque dir; otherwise the caller must. */
  opaqueXattrsSet: boolean;
  skipped: Array<{ name: string; reason: string }>;
}

export class UnsafeLayerError extends Error {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`unsafe layer entry ${JSON.stringify(entry)}: ${reason}`);
    this.name = 'UnsafeLayerError';
  }
}

interface DirMeta {
  mode: number;
  mtime: Date;
}

export async function unpackLayer(
  source: Readable | AsyncIterable<Uint8Array>,
  target: string,
  options: UnpackOptions = {},
): Promise<UnpackResult> {
  const asRoot = process.getuid?.() === 0;
  const opts = {
    onUnsafeEntry: options.onUnsafeEntry ?? 'skip',
    preserveOwnership: options.preserveOwnership ?? asRoot,
    whiteoutDevices: options.whiteoutDevices ?? asRoot,
    opaqueXattrs: options.opaqueXattrs ?? asRoot,
  };
  await fs.mkdir(target, { recursive: true });
  const root = await fs.realpath(target);
  const result: UnpackResult = {
    diffId: '',
    entries: 0,
    whiteouts: [],
    whiteoutDevicesCreated: opts.whiteoutDevices,
    opaqueDirs: [],
    opaqueXattrsSet: false,
    skipped: [],
  };
  const dirMeta = new Map<string, DirMeta>();
  const rel = (abs: string) => path.relative(root, abs);

  const skip = (name: string, reason: string, unsafe: boolean) => {
    if (unsafe && opts.onUnsafeEntry === 'fail') throw new UnsafeLayerError(name, reason);
    result.skipped.push({ name, reason });
  };

  const applyOwnership = async (abs: string, header: Header, symlink: boolean) => {
    if (!opts.preserveOwnership) return;
    if (symlink) await fs.lchown(abs, header.uid ?? 0, header.gid ?? 0);
    else await fs.chown(abs, header.uid ?? 0, header.gid ?? 0);
  };

  /** Clears the entry's own name (never following it) unless it is a dir and stays one. */
  const clearFor = async (abs: string, keepDir: boolean) => {
    let st;
    try {
      st = await fs.lstat(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (st.isDirectory()) {
      if (keepDir) return;
      await fs.rm(abs, { recursive: true, force: true });
      for (const dir of dirMeta.keys()) if (dir === abs || dir.startsWith(`${abs}/`)) dirMeta.delete(dir);
    } else {
      await fs.unlink(abs);
    }
  };

  const handle = async (header: Header, body: AsyncIterable<Uint8Array>) => {
    const entry = classifyLayerEntry(header.name);
    const mtime = header.mtime ?? new Date(0);
    switch (entry.kind) {
      case 'unsafe':
        return skip(header.name, entry.reason, true);
      case 'ignore':
        return skip(header.name, entry.reason, false);
      case 'root':
        return; // never change the target directory itself
      case 'opaque': {
        const dir = await resolveDirInRoot(root, entry.parent, { create: true });
        result.opaqueDirs.push(rel(dir));
        return;
      }
      case 'whiteout': {
        const dir = await resolveDirInRoot(root, entry.parent, { create: true });
        const abs = path.join(dir, entry.name);
        await clearFor(abs, false);
        if (opts.whiteoutDevices) await makeWhiteoutDevice(abs);
        result.whiteouts.push(rel(abs));
        return;
      }
      case 'path':
        break;
    }
    const parent = await resolveDirInRoot(root, entry.parts.slice(0, -1), { create: true });
    const abs = path.join(parent, entry.parts[entry.parts.length - 1]!);
    const mode = (header.mode ?? 0o644) & 0o7777;
    switch (header.type) {
      case 'directory': {
        await clearFor(abs, true);
        await fs.mkdir(abs, { recursive: true, mode: 0o700 });
        await applyOwnership(abs, header, false);
        dirMeta.set(abs, { mode, mtime });
        return;
      }
      case 'file':
      case 'contiguous-file':
      case undefined:
      case null: {
        await clearFor(abs, false);
        const file = await fs.open(abs, 'wx', 0o600);
        try {
          for await (const chunk of body) await file.write(chunk);
        } finally {
          await file.close();
        }
        await applyOwnership(abs, header, false);
        await fs.chmod(abs, mode); // after chown, which clears setuid bits
        await fs.utimes(abs, mtime, mtime);
        return;
      }
      case 'symlink': {
        await clearFor(abs, false);
        await fs.symlink(header.linkname ?? '', abs);
        await applyOwnership(abs, header, true);
        await fs.lutimes(abs, mtime, mtime);
        return;
      }
      case 'link': {
        const linkTarget = await resolveHardlinkTarget(root, header.linkname ?? '');
        if ('unsafe' in linkTarget) return skip(header.name, linkTarget.unsafe, true);
        if (linkTarget.abs === abs) return;
        await clearFor(abs, false);
        await fs.link(linkTarget.abs, abs);
        return;
      }
      default:
        return skip(header.name, `${header.type} entries are not extracted`, false);
    }
  };

  const diff = new DigestCounter();
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      diff.update(chunk);
      done(null, chunk);
    },
  });
  const { stream: input, gzip } = await sniffCompression(source, options.compression ?? 'auto');
  const extract = tarExtract();
  const sink = extract as unknown as NodeJS.WritableStream;
  const piping = gzip ? pipeline(input, createGunzip(), hashing, sink) : pipeline(input, hashing, sink);
  let pipeError: unknown;
  const piped = piping.catch((err: unknown) => {
    pipeError = err;
  });
  try {
    for await (const entry of extract) {
      result.entries++;
      try {
        await handle(entry.header as Header, entry as unknown as AsyncIterable<Uint8Array>);
      } catch (err) {
        if (err instanceof UnsafePathError) skip(entry.header.name, err.message, true);
        else throw err;
      }
      // Drain whatever the handler did not read (skipped entries), so the parser moves on.
      for await (const _ of entry as unknown as AsyncIterable<Uint8Array>) void _;
    }
  } catch (err) {
    extract.destroy();
    input.destroy();
    await piped;
    throw err;
  }
  await piped;
  if (pipeError) throw pipeError;

  // Deepest first, so setting a parent's mtime comes after its children were touched.
  for (const [abs, meta] of [...dirMeta].sort((a, b) => b[0].length - a[0].length)) {
    await fs.chmod(abs, meta.mode);
    await fs.utimes(abs, meta.mtime, meta.mtime);
  }
  result.diffId = diff.digest();
  if (options.expectedDiffId !== undefined && options.expectedDiffId !== result.diffId) {
    throw new Error(`layer diff_id mismatch: expected ${options.expectedDiffId}, got ${result.diffId}`);
  }
  if (opts.opaqueXattrs) {
    result.opaqueXattrsSet = await setOpaqueXattrs(result.opaqueDirs.map((d) => path.join(root, d)));
  }
  return result;
}

/** A hardlink's target, resolved inside root; it must exist already and not be a directory. */
async function resolveHardlinkTarget(root: string, linkname: string): Promise<{ abs: string } | { unsafe: string }> {
  const split = entryParts(linkname);
  if ('unsafe' in split) return { unsafe: `hardlink target ${JSON.stringify(linkname)}: ${split.unsafe}` };
  if (split.parts.length === 0) return { unsafe: 'hardlink to the layer root' };
  let dir: string;
  try {
    dir = await resolveDirInRoot(root, split.parts.slice(0, -1), { create: false });
  } catch {
    return { unsafe: `hardlink target ${JSON.stringify(linkname)} is not in the layer` };
  }
  const abs = path.join(dir, split.parts[split.parts.length - 1]!);
  try {
    const st = await fs.lstat(abs);
    if (st.isDirectory()) return { unsafe: `hardlink target ${JSON.stringify(linkname)} is a directory` };
  } catch {
    return { unsafe: `hardlink target ${JSON.stringify(linkname)} is not in the layer` };
  }
  return { abs };
}

/** Decides on gzip (by the magic bytes 1f 8b for 'auto') without losing the first chunk. */
async function sniffCompression(
  source: Readable | AsyncIterable<Uint8Array>,
  compression: 'gzip' | 'none' | 'auto',
): Promise<{ stream: Readable; gzip: boolean }> {
  if (compression !== 'auto') {
    return { stream: source instanceof Readable ? source : Readable.from(source), gzip: compression === 'gzip' };
  }
  const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const stream = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  return { stream, gzip };
}
