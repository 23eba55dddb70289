import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE } from './data-dir-lock.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-lock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of a process that has exited (we started it and waited for it). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid ?? 0;
}

t.test('acquire writes our pid; release removes it and is idempotent', async (t) => {
  const dir = await tempDir(t);
  const lock = await acquireDataDirLock(dir);
  const text = await readFile(join(dir, LOCK_FILE), 'utf8');
  t.equal(text.split('\n')[0], String(process.pid));
  await lock.release();
  await lock.release();
  t.notOk(existsSync(join(dir, LOCK_FILE)));
});

t.test('the same process cannot lock the same dir twice', async (t) => {
  const dir = await tempDir(t);
  const lock = await acquireDataDirLock(dir);
  t.teardown(() => lock.release());
  const err = await acquireDataDirLock(dir).catch((e: unknown) => e);
  t.type(err, DataDirInUseError);
  t.equal((err as Error).message, `data dir ${dir} is in use by another k8ts (pid ${process.pid})`);
});

t.test('a live process holding the lock keeps the dir', async (t) => {
  const dir = await tempDir(t);
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  t.teardown(() => {
    holder.kill('SIGKILL');
  });
  await writeFile(join(dir, LOCK_FILE), `${holder.pid}\n`);
  await t.rejects(acquireDataDirLock(dir), new DataDirInUseError(dir, holder.pid ?? 0));
});

t.test('stale locks are taken over at once', async (t) => {
  const cases: Array<[string, () => Promise<string>]> = [
    ['pid of an exited process', async () => `${await deadPid()}\n`],
    ['pid reused by another process (start time differs)', async () => `${process.pid}\nstart 1\n`],
    ['garbage (crash between create and write)', async () => ''],
  ];
  for (const [name, content] of cases) {
    if (name.includes('reused') && !existsSync('/proc/self/stat')) continue;
    const dir = await tempDir(t);
    await writeFile(join(dir, LOCK_FILE), await content());
    const lock = await acquireDataDirLock(dir);
    t.equal((await readFile(join(dir, LOCK_FILE), 'utf8')).split('\n')[0], String(process.pid), name);
    await lock.release();
  }
});

t.test('release never removes a lock that is no longer ours', async (t) => {
  const dir = await tempDir(t);
  const lock = await acquireDataDirLock(dir);
  await writeFile(join(dir, LOCK_FILE), '1\n');
  await lock.release();
  t.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), '1\n');
});
