/** cri.proto (for readers) and cri-proto.ts (what the code parses) must say the same. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { sourcePath } from '../../test/helpers/source-path.js';
import { CRI_PROTO } from './cri-proto.js';

t.test('cri-proto.ts embeds cri.proto verbatim', async (t) => {
  const file = readFileSync(sourcePath(import.meta.url, './cri.proto'), 'utf8');
  t.equal(CRI_PROTO.trim(), file.trim(), 'copy cri.proto into cri-proto.ts after changing it');
});
