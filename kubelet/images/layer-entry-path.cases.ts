import t from 'tap';
import { classifyLayerEntry, type LayerEntryPath } from './layer-entry-path.js';

const cases: Array<[string, LayerEntryPath | 'unsafe']> = [
  ['etc/passwd', { kind: 'path', parts: ['etc', 'passwd'] }],
  ['./etc/passwd', { kind: 'path', parts: ['etc', 'passwd'] }],
  ['bin/', { kind: 'path', parts: ['bin'] }],
  ['a//b/./c', { kind: 'path', parts: ['a', 'b', 'c'] }],
  ['a/b/../c', { kind: 'path', parts: ['a', 'c'] }],
  ['./', { kind: 'root' }],
  ['.', { kind: 'root' }],
  ['etc/.wh.motd', { kind: 'whiteout', parent: ['etc'], name: 'motd' }],
  ['.wh.top', { kind: 'whiteout', parent: [], name: 'top' }],
  ['var/lib/.wh..wh..opq', { kind: 'opaque', parent: ['var', 'lib'] }],
  ['.wh..wh..opq', { kind: 'opaque', parent: [] }],
  ['../evil', 'unsafe'],
  ['a/../../evil', 'unsafe'],
  ['..', 'unsafe'],
  ['/etc/shadow', 'unsafe'],
  ['/', 'unsafe'],
  ['.wh..wh.plnk/123', { kind: 'ignore', reason: 'AUFS metadata' }],
  ['.wh..wh.plnk', { kind: 'ignore', reason: 'AUFS metadata' }],
  ['a/.wh..wh.aufs', { kind: 'ignore', reason: 'AUFS metadata' }],
  ['etc/.wh.', 'unsafe'],
  ['etc/.wh...', 'unsafe'],
];

for (const [name, want] of cases) {
  const got = classifyLayerEntry(name);
  if (want === 'unsafe') t.equal(got.kind, 'unsafe', name);
  else t.same(got, want, name);
}
