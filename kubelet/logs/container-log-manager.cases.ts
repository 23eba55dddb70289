import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { ContainerState, RuntimeService } from '../cri/api.js';
import { createContainerLogManager } from './container-log-manager.js';

const START = Date.UTC(2026, 10, 24, 12, 0, 0);
const silent = { warn: () => undefined, debug: () => undefined };

/** a runtime with containers whose "open log" is a path it recreates on reopen */
function fakeRuntime(dir: string, containers: Array<{ id: string; state: ContainerState }>) {
  const reopened: string[] = [];
  let failReopen = false;
  const runtime: Pick<RuntimeService, 'listContainers' | 'containerStatus' | 'reopenContainerLog'> = {
    listContainers: async (req) => ({
      containers: containers
        .filter((c) => !req.filter?.state || c.state === req.filter.state.state)
        .map((c) => ({ id: c.id, podSandboxId: 's', metadata: { name: c.id, attempt: 0 }, image: { image: 'x' }, imageRef: 'x', state: c.state, createdAt: 0, labels: {}, annotations: {} })),
    }),
    containerStatus: async ({ containerId }) => ({ status: { logPath: join(dir, `${containerId}.log`) } as never, info: {} }),
    reopenContainerLog: async ({ containerId }) => {
      if (failReopen) throw new Error('runtime says no');
      reopened.push(containerId);
      await writeFile(join(dir, `${containerId}.log`), '');
      return {};
    },
  };
  return { runtime, reopened, failReopen: (v: boolean) => (failReopen = v) };
}

const settings = { containerLogMaxBytes: 100, containerLogMaxFiles: 3, containerLogMonitorIntervalMs: 10_000 };

t.test('rotates big logs of running containers every interval, keeping at most maxFiles', async (t) => {
  const dir = t.testdir();
  const clock = new FakeClock(START);
  const fake = fakeRuntime(dir, [{ id: 'big', state: 'CONTAINER_RUNNING' }, { id: 'small', state: 'CONTAINER_RUNNING' }, { id: 'exited', state: 'CONTAINER_EXITED' }]);
  await writeFile(join(dir, 'big.log'), 'x'.repeat(150));
  await writeFile(join(dir, 'small.log'), 'x'.repeat(10));
  await writeFile(join(dir, 'exited.log'), 'x'.repeat(500));
  const manager = createContainerLogManager({ runtime: fake.runtime, clock, settings, logger: silent });
  manager.start();
  t.teardown(() => manager.stop());

  await clock.advance(9_999);
  t.same(fake.reopened, [], 'nothing before the interval');
  await clock.advance(1);
  await manager.settled();
  t.same(fake.reopened, ['big']);
  t.same((await readdir(dir)).sort(), ['big.log', 'big.log.20261124-120010', 'exited.log', 'small.log']);
  t.equal((await readFile(join(dir, 'big.log.20261124-120010'), 'utf8')).length, 150);

  // three more rotations: the oldest parts go, 1 live + 2 parts remain
  for (const s of [20, 30, 40]) {
    await writeFile(join(dir, 'big.log'), `${s}`.repeat(60));
    await clock.advance(10_000);
    await manager.settled();
  }
  t.same((await readdir(dir)).filter((f) => f.startsWith('big')).sort(), ['big.log', 'big.log.20261124-120030', 'big.log.20261124-120040']);
  t.same(fake.reopened, ['big', 'big', 'big', 'big']);
});

t.test('a failed reopen undoes the rename; a missing live file is reopened', async (t) => {
  const dir = t.testdir();
  const clock = new FakeClock(START);
  const fake = fakeRuntime(dir, [{ id: 'c', state: 'CONTAINER_RUNNING' }]);
  const warnings: unknown[] = [];
  const manager = createContainerLogManager({ runtime: fake.runtime, clock, settings, logger: { warn: (o: unknown) => warnings.push(o), debug: () => undefined } });
  await writeFile(join(dir, 'c.log'), 'x'.repeat(200));
  fake.failReopen(true);
  await manager.rotateOnce();
  t.same(await readdir(dir), ['c.log'], 'rename undone');
  t.equal(warnings.length, 1);

  fake.failReopen(false);
  await manager.rotateOnce();
  t.same((await readdir(dir)).sort(), ['c.log', 'c.log.20261124-120000']);
  // same second again: no clobbering of the part just made
  await writeFile(join(dir, 'c.log'), 'y'.repeat(200));
  await manager.rotateOnce();
  t.equal((await readFile(join(dir, 'c.log.20261124-120000'), 'utf8'))[0], 'x');

  const { unlink } = await import('node:fs/promises');
  await unlink(join(dir, 'c.log'));
  await manager.rotateOnce();
  t.same(fake.reopened, ['c', 'c']);
  t.equal(await readFile(join(dir, 'c.log'), 'utf8'), '');
});
