/**
 * /etc/passwd and /etc/group parsing and the USER lookup runc does for a container
 * (libcontainer/user GetExecUser), as pure functions over already-read text, so every rule
 * is table-tested without a root filesystem:
 *
 * - a spec is "user" or "user:group", each part a name or a number;
 * - a numeric user matches a passwd entry by uid, a name by name; a name with no entry is an
 *   error ("unable to find user NAME: no matching entries in passwd file"), a number with no
 *   entry is fine (uid as given, gid 0);
 * - without an explicit group the gid is the passwd entry's, and the supplementary groups
 *   are the groups that list the matched user name as a member;
 * - an explicit group (name or number) replaces the gid and disables that membership
 *   lookup; a group name with no entry is an error ("unable to find group NAME: no matching
 *   entries in group file").
 */

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Non-negative decimal id, or undefined (runc: strconv.Atoi; negative ids are no ids). */
const parseId = (text: string): number | undefined => (/^\d+$/.test(text) ? Number(text) : undefined);

/** name:password:uid:gid:gecos:home:shell — malformed lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const uid = parseId(fields[2] ?? '');
    const gid = parseId(fields[3] ?? '');
    if (!fields[0] || uid === undefined || gid === undefined) continue;
    entries.push({ name: fields[0], uid, gid, home: fields[5] ?? '' });
  }
  return entries;
}

/** name:password:gid:member,member — malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const gid = parseId(fields[2] ?? '');
    if (!fields[0] || gid === undefined) continue;
    const members = (fields[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    entries.push({ name: fields[0], gid, members });
  }
  return entries;
}

export class UserLookupError extends Error {
  override name = 'UserLookupError';
}

export interface ExecUser {
  uid: number;
  gid: number;
  /** supplementary groups from /etc/group membership (only when no explicit group was given) */
  sgids: number[];
  /** the passwd entry's name when one matched */
  name?: string;
}

/** Resolves "user[:group]" against passwd/group entries (null = the file does not exist). */
export function lookupExecUser(spec: string, passwd: readonly PasswdEntry[] | null, groups: readonly GroupEntry[] | null): ExecUser {
  const colon = spec.indexOf(':');
  const userArg = colon === -1 ? spec : spec.slice(0, colon);
  const groupArg = colon === -1 ? '' : spec.slice(colon + 1);
  const uidArg = parseId(userArg);
  const gidArg = parseId(groupArg);

  const result: ExecUser = { uid: 0, gid: 0, sgids: [] };
  if (userArg !== '') {
    const entry = (passwd ?? []).find((u) => (uidArg !== undefined ? u.uid === uidArg : u.name === userArg));
    if (entry) {
      result.uid = entry.uid;
      result.gid = entry.gid;
      result.name = entry.name;
    } else if (uidArg === undefined) {
      throw new UserLookupError(`unable to find user ${userArg}: no matching entries in passwd file`);
    } else {
      result.uid = uidArg;
    }
  }

  if (groupArg !== '') {
    const entry = (groups ?? []).find((g) => (gidArg !== undefined ? g.gid === gidArg : g.name === groupArg));
    if (entry) result.gid = entry.gid;
    else if (gidArg === undefined) throw new UserLookupError(`unable to find group ${groupArg}: no matching entries in group file`);
    else result.gid = gidArg;
  } else if (result.name !== undefined) {
    const name = result.name;
    result.sgids = (groups ?? []).filter((g) => g.members.includes(name)).map((g) => g.gid);
  }
  return result;
}
