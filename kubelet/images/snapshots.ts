/**
 * Unpacked image layers, one directory per layer, stacked by the runtime as overlayfs lower
 * dirs. Keyed by the layer's diffId (the sha256 of its uncompressed tar), so two images that
 * share a base layer share its snapshot:
 *
 *   <dir>/<diffId hex>/fs        the layer's files; OCI whiteouts already converted to
 *                                overlay markers (0:0 char devices, trusted.overlay.opaque)
 *   <dir>/.tmp-<pid>-<rand>/fs   a layer being unpacked (renamed into place when complete)
 *
 * A snapshot directory only ever appears by one rename of a fully unpacked, diffId-verified
 * temp directory, so a directory named by a diffId is always complete. Two runtimes (or two
 * pulls) unpacking the same layer at once both unpack; the loser of the rename discards its
 * copy. Within one process concurrent ensure() calls for a layer share one unpack.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ContentStore } from './content-store.js';
import { removeDeadProcessTemps } from './dead-process-temps.js';
import { digestHex } from './digest.js';
import { layerCompression } from './media-types.js';
import type { Descriptor } from './oci-types.js';
import { unpackLayer } from './unpack-layer.js';

const TEMP_PREFIX = '.tmp-';

export class SnapshotStore {
  private readonly inFlight = new Map<string, Promise<string>>();

  private constructor(readonly dir: string) {}

  /** Opens (creating) the snapshot directory; temp dirs of processes that died are removed. */
  static async open(dir: string): Promise<SnapshotStore> {
    const store = new SnapshotStore(path.resolve(dir));
    await fs.mkdir(store.dir, { recursive: true });
    await removeDeadProcessTemps(store.dir, (name) => (name.startsWith(TEMP_PREFIX) ? Number(name.slice(TEMP_PREFIX.length).split('-')[0]) : undefined));
    return store;
  }

  /** The fs dir of a layer's snapshot (it may not exist). */
  fsDir(diffId: string): string {
    return path.join(this.dir, digestHex(diffId), 'fs');
  }

  async has(diffId: string): Promise<boolean> {
    try {
      return (await fs.stat(this.fsDir(diffId))).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * The snapshot of a layer, unpacking it from the content store's blob when missing. The
   * unpacked tar must hash to diffId (the image config's rootfs.diff_ids entry).
   */
  async ensure(store: ContentStore, layer: Descriptor, diffId: string): Promise<string> {
    const fsDir = this.fsDir(diffId);
    if (await this.has(diffId)) return fsDir;
    let pending = this.inFlight.get(diffId);
    if (pending === undefined) {
      pending = this.unpack(store, layer, diffId).finally(() => this.inFlight.delete(diffId));
      this.inFlight.set(diffId, pending);
    }
    return pending;
  }

  private async unpack(store: ContentStore, layer: Descriptor, diffId: string): Promise<string> {
    const compression = layerCompression(layer.mediaType);
    if (compression === undefined) throw new Error(`unsupported layer media type ${layer.mediaType} (${layer.digest})`);
    const temp = path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    const final = path.dirname(this.fsDir(diffId));
    try {
      await fs.mkdir(temp);
      await unpackLayer(store.openBlob(layer.digest), path.join(temp, 'fs'), {
        compression,
        expectedDiffId: diffId,
        onUnsafeEntry: 'skip',
      });
      try {
        await fs.rename(temp, final);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // someone else renamed the same layer into place first: theirs is as good as ours
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        await fs.rm(temp, { recursive: true, force: true });
      }
      return path.join(final, 'fs');
    } catch (err) {
      await fs.rm(temp, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Removes a snapshot. It is first renamed aside, so a half-deleted directory is never
   * mistaken for a complete one. A container still mounted over it keeps what it has open.
   */
  async remove(diffId: string): Promise<boolean> {
    const dir = path.dirname(this.fsDir(diffId));
    const aside = path.join(this.dir, `${TEMP_PREFIX}${process.pid}-rm-${randomBytes(6).toString('hex')}`);
    try {
      await fs.rename(dir, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await fs.rm(aside, { recursive: true, force: true });
    return true;
  }

  /** diffIds of every complete snapshot. */
  async list(): Promise<string[]> {
    const names = await fs.readdir(this.dir);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`).sort();
  }
}
