import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { findOnPath, resolveRuntime } from './runtime.js';

t.test('resolveRuntime', async (t) => {
  const runc = '/usr/bin/runc';
  const cases: Array<[Parameters<typeof resolveRuntime>, { runtime: string; warning?: unknown }]> = [
    [['auto', { runcPath: runc, uid: 0, runcRuntimeBuilt: true }], { runtime: 'runc', warning: undefined }],
    [['auto', { runcPath: runc, uid: 0, runcRuntimeBuilt: false }], { runtime: 'simulated', warning: undefined }],
    [['auto', { runcPath: runc, uid: 1000, runcRuntimeBuilt: true }], { runtime: 'simulated', warning: undefined }],
    [['auto', { runcPath: undefined, uid: 0, runcRuntimeBuilt: true }], { runtime: 'simulated', warning: undefined }],
    [['simulated', { runcPath: runc, uid: 0, runcRuntimeBuilt: true }], { runtime: 'simulated', warning: undefined }],
    [['runc', { runcPath: runc, uid: 0, runcRuntimeBuilt: true }], { runtime: 'runc', warning: undefined }],
    [['runc', { runcPath: runc, uid: 0, runcRuntimeBuilt: false }], { runtime: 'runc', warning: /not part of this build/ }],
    [['runc', { runcPath: undefined, uid: 0, runcRuntimeBuilt: true }], { runtime: 'runc', warning: /runc is not on PATH/ }],
    [['runc', { runcPath: runc, uid: 1000, runcRuntimeBuilt: true }], { runtime: 'runc', warning: /not running as root \(uid 1000\)/ }],
  ];
  for (const [args, want] of cases) t.match(resolveRuntime(...args), want, JSON.stringify(args));
  t.match(resolveRuntime('auto', { runcPath: undefined, uid: 0, runcRuntimeBuilt: true }).reason, 'auto: runc is not on PATH');
});

t.test('findOnPath finds executables only', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-path-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'runc'), '#!/bin/sh\n');
  t.equal(findOnPath('runc', `/nonexistent::${dir}`), undefined, 'not executable');
  await chmod(join(dir, 'runc'), 0o755);
  t.equal(findOnPath('runc', `/nonexistent::${dir}`), join(dir, 'runc'));
  t.equal(findOnPath('no-such-binary', dir), undefined);
});
