/**
 * The container's uid, gid and supplementary groups, resolved against the container's own
 * /etc/passwd and /etc/group (containerd does this in WithUser/WithAdditionalGIDs, because
 * only the runtime sees the rootfs).
 *
 * Which user: the security context's runAsUser wins, then runAsUsername (the kubelet sends
 * the image's non-numeric USER there), then the image's USER; runAsGroup replaces the group
 * part (containerd's generateUserString). k8ts is lenient where containerd errors: a
 * runAsGroup with no user anywhere means uid 0 with that gid, and a runAsGroup without
 * runAsUser keeps the image's user name.
 *
 * The gid defaults to the passwd entry's (0 for a uid with no entry); additionalGids are the
 * primary gid (containerd's fix for CVE-2023-25173: without it, a process that drops its
 * primary group could regain access through it), the groups listing the user in
 * /etc/group, then the pod's supplementalGroups — without duplicates.
 *
 * The files are read SAFELY: the rootfs comes from an image, so /etc/passwd may be a
 * symlink to /etc/shadow or "../../../../etc/passwd"; every symlink is resolved inside the
 * rootfs (as the container would see it), never on the host.
 */
import * as fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import type { LinuxContainerSecurityContext } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import { resolveDirInRoot, UnsafePathError } from '../../../images/resolve-in-root.js';
import { lookupExecUser, parseGroup, parsePasswd, UserLookupError } from './passwd.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

// Linux's limit on symlinks followed in one lookup (MAXSYMLINKS).
const MAX_SYMLINKS = 40;

/**
 * Reads root/<relPath> resolving every symlink (directories and the file itself) inside
 * root. Missing file (or a dangling link) → null. The final open uses O_NOFOLLOW so a link
 * swapped in after the check is refused rather than followed.
 */
export async function readFileInRoot(root: string, relPath: string): Promise<string | null> {
  const realRoot = await fs.realpath(root);
  let parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
  for (let followed = 0; followed <= MAX_SYMLINKS; followed++) {
    const name = parts.pop();
    if (name === undefined || name === '..') return null;
    let dir: string;
    try {
      dir = await resolveDirInRoot(realRoot, parts, { create: false });
    } catch (err) {
      if (isMissing(err) || err instanceof UnsafePathError) return null;
      throw err;
    }
    const abs = path.join(dir, name);
    let st;
    try {
      st = await fs.lstat(abs);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    if (st.isSymbolicLink()) {
      const target = await fs.readlink(abs);
      const base = target.startsWith('/') ? [] : path.relative(realRoot, dir).split('/').filter(Boolean);
      parts = [...base, ...target.split('/').filter((p) => p !== '' && p !== '.')];
      continue;
    }
    if (!st.isFile()) return null;
    const handle = await fs.open(abs, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }
  return null;
}

const isMissing = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/** The "user[:group]" string to look up (pure: containerd's generateUserString plus the image fallback). */
export function userSpecFor(sc: LinuxContainerSecurityContext | undefined, imageUser: string | undefined): string {
  const image = imageUser?.trim() ?? '';
  const imageColon = image.indexOf(':');
  const imageUserPart = imageColon === -1 ? image : image.slice(0, imageColon);
  const imageGroupPart = imageColon === -1 ? '' : image.slice(imageColon + 1);

  let user: string;
  let group = '';
  if (sc?.runAsUser) user = String(sc.runAsUser.value);
  else if (sc?.runAsUsername) user = sc.runAsUsername;
  else {
    user = imageUserPart;
    group = imageGroupPart;
  }
  if (sc?.runAsGroup) group = String(sc.runAsGroup.value);
  if (user === '' && group !== '') user = '0';
  return group === '' ? user : `${user}:${group}`;
}

export async function resolveUser(
  rootfs: string,
  sc: LinuxContainerSecurityContext | undefined,
  imageUser: string | undefined,
): Promise<ResolvedUser> {
  const spec = userSpecFor(sc, imageUser);
  const [passwdText, groupText] = await Promise.all([readFileInRoot(rootfs, 'etc/passwd'), readFileInRoot(rootfs, 'etc/group')]);
  let exec;
  try {
    exec = lookupExecUser(spec, passwdText === null ? null : parsePasswd(passwdText), groupText === null ? null : parseGroup(groupText));
  } catch (err) {
    if (err instanceof UserLookupError) throw new CriError('InvalidArgument', err.message);
    throw err;
  }
  const additionalGids: number[] = [];
  for (const gid of [exec.gid, ...exec.sgids, ...(sc?.supplementalGroups ?? [])]) {
    if (!additionalGids.includes(gid)) additionalGids.push(gid);
  }
  return { uid: exec.uid, gid: exec.gid, additionalGids };
}
