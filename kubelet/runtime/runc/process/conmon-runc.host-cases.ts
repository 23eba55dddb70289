/**
 * Real containers through conmon + RuncCli on an overlay rootfs, with cgroup reads
 * (root, runc, conmon and busybox-static needed; skipped otherwise). Each test builds its own
 * fixture (random tag) and leaves nothing behind: containers, cgroups, mounts, conmon
 * processes, temp dirs.
 */
import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import t, { type Test } from 'tap';
import { isCriError } from '../../../cri/errors.js';
import { parseCriLogLine, type CriLogRecord } from '../../../logs/cri-log-format.js';
import { isMountPoint } from '../rootfs/overlay.js';
import { reopenLog, startContainerUnderConmon } from './conmon.js';
import { readExitCode, waitForExit, wasOomKilled } from './exit-watch.js';
import { conmonsMentioning, createHostFixture, hostCasesUnavailable, type HostFixture, type TestContainer } from './host-test-bundle.js';

const WAIT = { pollMs: 50, timeoutMs: 20_000 };

async function withFixture(t: Test, body: (f: HostFixture) => Promise<void>): Promise<void> {
  const fixture = await createHostFixture();
  try {
    await body(fixture);
  } finally {
    const leaked = await fixture.cleanup();
    t.same(leaked, [], 'no conmon process left behind');
    t.same(await conmonsMentioning(fixture.base), [], 'none at all after cleanup');
    t.same(await fixture.cgroups.listUnder(fixture.cgroupParent), [], 'no cgroup left');
  }
}

const start = (f: HostFixture, c: TestContainer, extra: { stdin?: boolean; tty?: boolean } = {}) =>
  startContainerUnderConmon({ runcRoot: f.runcRoot, id: c.id, bundle: c.bundle, logPath: c.logPath, exitDir: f.exitDir, persistDir: c.persistDir, socketDir: f.socketDir, ...extra });

async function logRecords(path: string): Promise<CriLogRecord[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => parseCriLogLine(line) ?? { time: '', stream: 'stdout', partial: false, line: `UNPARSEABLE ${line}` });
}

/** poll a condition (bounded); the tests assert on the outcome, never on how long it took */
async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const unavailable = await hostCasesUnavailable();
t.setTimeout(300_000); // several real containers, one after another, on a small noisy VM

t.test('conmon + runc + cgroups + overlay on this host', { skip: unavailable ? `runc host cases skipped: ${unavailable}` : false, timeout: 300_000 }, async (t) => {

  t.test('exit code 3 and both streams in the CRI log; created → running → stopped; delete is idempotent', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('exit3', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
      t.ok(await isMountPoint(c.rootfs), 'overlay rootfs mounted');
      const started = await start(f, c);
      t.ok(started.containerPid > 0 && started.conmonPid > 0, 'pids reported');
      t.same(await f.runc.state(c.id), { status: 'created', pid: started.containerPid });
      t.ok((await f.runc.list()).some((e) => e.id === c.id && e.bundle === c.bundle), 'listed');
      await f.runc.start(c.id);
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 3);
      t.equal(await readExitCode(f.exitDir, c.id), 3);
      t.equal(await wasOomKilled(c.persistDir), false);
      const records = (await eventually(async () => {
        const r = await logRecords(c.logPath);
        return r.length >= 2 ? r : undefined;
      })) ?? [];
      t.same(
        records.map((r) => [r.stream, r.partial, r.line]).sort(),
        [['stderr', false, 'err'], ['stdout', false, 'out']],
        'CRI log lines parse with the kubelet reader',
      );
      t.match(records[0]?.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+/);
      t.equal((await f.runc.state(c.id))?.status, 'stopped');
      await f.runc.kill(c.id, 'KILL'); // stopped: resolves
      await f.runc.delete(c.id);
      t.equal(await f.runc.state(c.id), undefined);
      await f.runc.delete(c.id); // gone: resolves
      await f.runc.kill(c.id, 'TERM'); // gone: resolves
      await t.rejects(f.runc.start(c.id), { code: 'NotFound' });
    });
  });

  t.test('PID 1 ignores TERM; KILL gives 137; exec sync, exec timeout; stats are non-zero', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('sleeper', ['sleep', '100']);
      await start(f, c);
      await f.runc.start(c.id);
      t.equal((await f.runc.state(c.id))?.status, 'running');

      const stats = await f.cgroups.stats(c.cgroupsPath);
      t.ok(stats && stats.cpuUsageNanos > 0, 'cpu usage > 0');
      t.ok(stats && stats.memoryUsageBytes > 0, 'memory usage > 0');
      t.ok(stats && stats.pids >= 1, 'pids ≥ 1');
      t.ok(stats && stats.workingSetBytes <= stats.memoryUsageBytes, 'working set ≤ usage');

      await f.runc.update(c.id, { memoryLimitInBytes: 48 * 1024 * 1024, cpuShares: 256 });
      if (f.cgroups.mode === 'v1') {
        const limit = await readFile(`/sys/fs/cgroup/memory${c.cgroupsPath}/memory.limit_in_bytes`, 'utf8');
        t.equal(Number(limit), 48 * 1024 * 1024, 'runc update changed the memory limit');
        t.equal(Number(await readFile(`/sys/fs/cgroup/cpu${c.cgroupsPath}/cpu.shares`, 'utf8')), 256, 'and cpu shares');
      }

      const seven = await f.runc.exec(c.id, ['sh', '-c', 'echo hi; echo oops >&2; exit 7']);
      t.equal(seven.exitCode, 7);
      t.equal(seven.stdout.toString(), 'hi\n');
      t.equal(seven.stderr.toString(), 'oops\n');
      const env = await f.runc.exec(c.id, ['sh', '-c', 'echo $FOO $(pwd) $(id -u)'], { env: ['FOO=bar'], cwd: '/tmp', user: '65534:65534' });
      t.equal(env.stdout.toString(), 'bar /tmp 65534\n');
      await t.rejects(f.runc.exec(c.id, ['sleep', '30'], { timeoutMs: 300 }), { code: 'DeadlineExceeded' });
      const back = await eventually(async () => ((await f.cgroups.stats(c.cgroupsPath))?.pids === 1 ? true : undefined));
      t.equal(back, true, 'the timed-out exec process was killed');
      await t.rejects(f.runc.exec(c.id, ['/nope']), { name: 'CriError', message: /no such file or directory/ }, 'a missing binary in exec is runc\'s error');

      await f.runc.kill(c.id, 'TERM');
      t.equal(await waitForExit(f.exitDir, c.id, { pollMs: 50, timeoutMs: 500 }), undefined, 'still running after TERM (PID 1 has no handler)');
      await f.runc.kill(c.id, 'KILL');
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 137);
      await t.rejects(f.runc.exec(c.id, ['true']), { name: 'CriError' }, 'exec into a stopped container is a CriError');
      await f.runc.delete(c.id);
    });
  });

  t.test('OOM under a 16 MiB limit: 137, oom marker, cgroup oom_kill ≥ 1 (read before delete)', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('oom', ['sh', '-c', 'x=a; while :; do x=$x$x; done'], { memoryLimitBytes: 16 * 1024 * 1024 });
      await start(f, c);
      await f.runc.start(c.id);
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 137);
      t.ok(await eventually(async () => ((await wasOomKilled(c.persistDir)) ? true : undefined), 5_000), 'conmon wrote the oom marker');
      t.ok((await f.cgroups.oomKills(c.cgroupsPath)) >= 1, 'cgroup counted the OOM kill');
      await f.runc.delete(c.id);
      t.equal(await f.cgroups.stats(c.cgroupsPath), undefined, 'runc delete removed the leaf cgroup');
    });
  });

  t.test("a missing binary fails the create with runc's message", async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('nope', ['/nope']);
      const err = await start(f, c).then(
        () => undefined,
        (e: unknown) => e,
      );
      t.ok(isCriError(err), 'CriError');
      t.match((err as Error).message, 'exec: "/nope": stat /nope: no such file or directory');
      await f.runc.delete(c.id, true);
    });
  });

  t.test('reopenLog: after a rename, new lines go to a new file', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('logger', ['sh', '-c', 'i=0; while :; do echo line$i; i=$((i+1)); sleep 0.05; done']);
      const { conmonPid } = await start(f, c);
      await f.runc.start(c.id);
      t.ok(await eventually(async () => ((await logRecords(c.logPath)).length > 0 ? true : undefined)), 'first lines logged');
      await rename(c.logPath, `${c.logPath}.1`);
      await reopenLog(f.socketDir, c.id, { logPath: c.logPath });
      const fresh = await eventually(async () => {
        const r = await logRecords(c.logPath);
        return r.length > 0 ? r : undefined;
      });
      t.ok(fresh && fresh.every((r) => /^line\d+$/.test(r.line)), 'new file has well-formed records');
      const old = await logRecords(`${c.logPath}.1`);
      const lastOld = Number(old.at(-1)?.line.slice(4));
      const firstNew = Number(fresh?.[0]?.line.slice(4));
      t.ok(firstNew > lastOld, `new file continues after the old one (${lastOld} → ${firstNew})`);
      await f.runc.kill(c.id, 'KILL');
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 137);
      // conmon exits just after writing the exit file
      t.ok(await eventually(async () => (existsSync(`/proc/${conmonPid}`) ? undefined : true)), 'conmon exited');
      await t.rejects(reopenLog(f.socketDir, c.id), { name: 'CriError' }, 'conmon gone → CriError');
      await f.runc.delete(c.id);
    });
  });

  t.test('stdin=true: conmon keeps the attach socket for the container', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('stdin', ['sh', '-c', 'read line; echo got $line']);
      await start(f, c, { stdin: true });
      await f.runc.start(c.id);
      const { stat } = await import('node:fs/promises');
      const attach = await stat(`${f.socketDir}/${c.id}/attach`);
      t.ok(attach.isSocket(), 'attach socket present');
      await f.runc.kill(c.id, 'KILL');
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 137);
      await f.runc.delete(c.id);
    });
  });

  t.test('tty=true: the container gets a terminal, its output is logged as stdout', async (t) => {
    await withFixture(t, async (f) => {
      const c = await f.bundle('tty', ['sh', '-c', '[ -t 1 ] && echo is-a-tty; exit 4'], { terminal: true });
      await start(f, c, { tty: true, stdin: true });
      await f.runc.start(c.id);
      t.equal(await waitForExit(f.exitDir, c.id, WAIT), 4);
      const records = await eventually(async () => {
        const r = await logRecords(c.logPath);
        return r.some((x) => x.line.includes('is-a-tty')) ? r : undefined;
      });
      t.ok(records?.some((r) => r.stream === 'stdout' && r.line.replace(/\r$/, '') === 'is-a-tty'), 'stdout is a terminal');
      await f.runc.delete(c.id);
    });
  });
});
