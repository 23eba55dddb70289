import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runConformance, runReopen } from './conformance.js';
import { openStore } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'k8ts-conformance-level-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const fresh = (): string => mkdtempSync(join(root, 's-'));

const open = (opts: Parameters<typeof openStore>[0] = {}): ReturnType<typeof openStore> =>
  openStore({ ...opts, backend: 'level', path: opts.path ?? fresh() });

runConformance(t, 'level', open);
runReopen(t, 'level', open, fresh);
