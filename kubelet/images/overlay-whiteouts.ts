/**
 * Writes overlayfs's own whiteout markers, which an OCI layer expresses as marker files:
 *
 *   OCI ".wh.NAME"        -> overlay: a character device NAME with device number 0:0
 *   OCI ".wh..wh..opq"    -> overlay: xattr trusted.overlay.opaque=y on the directory
 *
 * Node has neither mknod(2) nor setxattr(2), so both go through the standard tools:
 * coreutils' mknod (always on Linux, needs root for a device node) and setfattr from the
 * `attr` package (optional; runtime-recipe §0). When a tool is missing the caller still
 * gets the list of paths from the unpacker and can apply them another way.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export async function makeWhiteoutDevice(absPath: string): Promise<void> {
  await run('mknod', ['-m', '000', absPath, 'c', '0', '0']);
}

let setfattrPath: Promise<string | undefined> | undefined;

/** The setfattr binary, or undefined when the `attr` package is not installed. */
export function findSetfattr(): Promise<string | undefined> {
  setfattrPath ??= (async () => {
    for (const candidate of ['/usr/bin/setfattr', '/bin/setfattr', '/usr/local/bin/setfattr']) {
      try {
        await access(candidate);
        return candidate;
      } catch {
        // try the next place
      }
    }
    return undefined;
  })();
  return setfattrPath;
}

/** Marks dirs opaque; false (nothing done) when setfattr is not installed. */
export async function setOpaqueXattrs(absDirs: readonly string[]): Promise<boolean> {
  if (absDirs.length === 0) return true;
  const setfattr = await findSetfattr();
  if (setfattr === undefined) return false;
  await run(setfattr, ['-n', OPAQUE_XATTR, '-v', 'y', '--', ...absDirs]);
  return true;
}
