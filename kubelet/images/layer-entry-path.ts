/**
 * Pure classification of one tar entry name of an image layer, before anything touches the
 * disk: is it safe (stays under the layer root, lexically), and is it an OCI whiteout?
 *
 *   "./etc/passwd"          -> { kind: 'path',     parts: ['etc', 'passwd'] }
 *   "etc/.wh.motd"          -> { kind: 'whiteout', parent: ['etc'], name: 'motd' }
 *   "etc/.wh..wh..opq"      -> { kind: 'opaque',   parent: ['etc'] }
 *   "../evil", "/etc/shadow" -> { kind: 'unsafe', reason }
 *   "./"                    -> { kind: 'root' }
 *   ".wh..wh.plnk/1234"     -> { kind: 'ignore' } (AUFS bookkeeping, not content)
 *
 * Lexical safety is only half of it: symlinks already extracted can still point outside,
 * which resolve-in-root.ts handles while writing.
 */

export type LayerEntryPath =
  | { kind: 'path'; parts: string[] }
  | { kind: 'whiteout'; parent: string[]; name: string }
  | { kind: 'opaque'; parent: string[] }
  | { kind: 'root' }
  | { kind: 'ignore'; reason: string }
  | { kind: 'unsafe'; reason: string };

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
// Other ".wh..wh." names are AUFS bookkeeping (e.g. .wh..wh.plnk), never content.
const AUFS_META_PREFIX = '.wh..wh.';

/** Splits a tar name into clean parts; undefined when it climbs above the root or is absolute. */
export function entryParts(name: string): { parts: string[] } | { unsafe: string } {
  if (name.includes('\0')) return { unsafe: 'NUL in path' };
  if (name.startsWith('/')) return { unsafe: 'absolute path' };
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { unsafe: 'path escapes the layer root' };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { parts };
}

export function classifyLayerEntry(name: string): LayerEntryPath {
  const split = entryParts(name);
  if ('unsafe' in split) return { kind: 'unsafe', reason: split.unsafe };
  const { parts } = split;
  if (parts.length === 0) return { kind: 'root' };
  const base = parts[parts.length - 1]!;
  const parent = parts.slice(0, -1);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', parent };
  if (parts.some((p, i) => p.startsWith(AUFS_META_PREFIX) && !(i === parts.length - 1 && p === OPAQUE_MARKER))) {
    return { kind: 'ignore', reason: 'AUFS metadata' };
  }
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === '' || target === '.' || target === '..') return { kind: 'unsafe', reason: 'invalid whiteout name' };
    return { kind: 'whiteout', parent, name: target };
  }
  return { kind: 'path', parts };
}
