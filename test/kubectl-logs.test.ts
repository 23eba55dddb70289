/**
 * `kubectl logs`, end to end, for every kubectl version the project supports (1.27, 1.29,
 * 1.30, 1.31, 1.33), against one cluster of simulated nodes (starting a cluster per
 * version would cost more than all the checks). The simulated runtime prints known lines
 * (./helpers/log-fixtures.ts), so each check compares exact bytes: a pod's log, --tail,
 * --since, --limit-bytes, --timestamps, the container kubectl picks in a multi-container
 * pod (the default-container annotation, else the first with its "Defaulted container"
 * notice), --all-containers --prefix, deploy/X, job/X, -l, -p after a restart, and -f
 * seeing lines written after it started and exiting 0 when the container exits.
 *
 * A last test follows a chatty container while the kubelet's log manager rotates its log
 * (tiny containerLogMaxBytes): every line must arrive exactly once and in order, and a
 * rotated part must exist on disk, or the test would pass without any rotation.
 */
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl, kubectlFor, type KubectlResult } from './helpers/kubectl.js';
import { logDeployment, logJob, logPod, rotatedPartsUnder, tickSequenceProblem } from './helpers/log-fixtures.js';
import { until } from './helpers/poll.js';
import { apiGet, fastNodes } from './helpers/workloads.js';

const VERSIONS = ['1.27', '1.29', '1.30', '1.31', '1.33'];
const ANY = VERSIONS.find(hasKubectl);
/** an RFC3339Nano time (the kubelet's --timestamps prefix), then a space */
const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/;

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

// the default 30 s is too tight on a loaded 2-CPU machine (CI runs two test files at once)
t.setTimeout(300_000);

t.test('kubectl logs on every supported kubectl', { skip: !ANY && 'no kubectl is installed' }, async (t) => {
  t.setTimeout(300_000);
  const e = await e2eCluster(
    t,
    ANY!,
    fastNodes(1, {
      controllers: {},
      kubelet: {
        leaseRenewIntervalMs: 500,
        nodeStatusUpdateFrequencyMs: 500,
        plegRelistIntervalMs: 100,
        podResyncIntervalMs: 2_000,
        crashLoopBackoffInitialMs: 200,
        crashLoopBackoffMaxMs: 400,
        // the rotation test: rotate at 2 KiB, looked at every 100 ms
        containerLogMaxBytes: 2048,
        containerLogMonitorIntervalMs: 100,
      },
    }),
  );
  const ns = '/api/v1/namespaces/default';
  const pod = (name: string) => apiGet(e, `${ns}/pods/${name}`);

  // fixtures shared by every version, created once by one kubectl (kubectl reads input
  // that starts with `{` as a stream of JSON objects)
  const fixtures = [
    logPod('one', { annotations: { 'sim.k8ts.io/logs': 'alpha\nbeta\ngamma' } }),
    logPod('since', { annotations: { 'sim.k8ts.io/logs': 'old line', 'sim.k8ts.io/log-every-ms': '200' } }),
    logPod('annotated', {
      containers: ['a', 'b'],
      annotations: { 'kubectl.kubernetes.io/default-container': 'b', 'sim.k8ts.io/logs.a': 'from a', 'sim.k8ts.io/logs.b': 'from b' },
    }),
    logPod('multi', { containers: ['a', 'b'], annotations: { 'sim.k8ts.io/logs.a': 'from a', 'sim.k8ts.io/logs.b': 'from b' } }),
    logPod('restarter', { annotations: { 'sim.k8ts.io/logs': 'run', 'sim.k8ts.io/run-ms': '300', 'sim.k8ts.io/exit-code': '1' } }),
    logDeployment('logdep', 2, 'dep line'),
    logJob('logjob', 'job done'),
  ];
  t.match(await e.ok(['create', '-f', '-'], fixtures.join('\n')), /job\.batch\/logjob created/);

  const running = (p: any) => p?.status?.containerStatuses?.length > 0 && p.status.containerStatuses.every((c: any) => c.state?.running);
  for (const name of ['one', 'since', 'annotated', 'multi']) t.ok(running(await until(() => pod(name), running)), `${name} runs`);
  const restarted = await until(
    () => pod('restarter'),
    (p) => (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
  );
  t.ok(restarted?.status?.containerStatuses?.[0]?.restartCount >= 1, 'restarter restarted');
  const depPods = await until(
    () => apiGet(e, `${ns}/pods?labelSelector=app%3Dlogdep`),
    (l) => l?.items?.length === 2 && l.items.every(running),
  );
  t.equal(depPods?.items?.length, 2, 'the deployment runs 2 pods');
  const depNames: string[] = (depPods?.items ?? []).map((p: any) => p.metadata.name).sort();
  const job = await until(
    () => apiGet(e, '/apis/batch/v1/namespaces/default/jobs/logjob'),
    (j) => j?.status?.succeeded === 1,
  );
  t.equal(job?.status?.succeeded, 1, 'the job completed');
  // `since` prints "old line" at start, then a tick every 200 ms: after tick 8 the old line is over 1.5 s old
  await until(
    () => e.kubectl(['logs', 'since']),
    (r) => r.stdout.includes('tick 8\n'),
  );

  t.comment(`fixtures ready after ${Math.round(process.uptime())} s of the process`);
  // checks that do not depend on kubectl's version, once
  t.equal(await e.ok(['logs', 'pod/one']), 'alpha\nbeta\ngamma\n', 'pod/NAME');
  t.equal(await e.ok(['logs', 'one', '--tail=0']), '', '--tail=0');
  t.equal(await e.ok(['logs', 'multi', '-c', 'b']), 'from b\n', '-c');
  t.match(await e.ok(['logs', 'since']), /^old line\ntick 1\n/, 'without --since the old line is there');
  t.match(await e.fails(['logs', 'multi', '-c', 'nope']), /container nope is not valid for pod multi/, 'an unknown container');

  for (const version of VERSIONS) {
    await t.test(`kubectl ${version}`, { skip: !hasKubectl(version) && `kubectl ${version} is not installed` }, async (t) => {
      const { kubectl, cleanup } = await kubectlFor(version, e.cluster.kubeconfigPath);
      t.teardown(cleanup);
      // every command starts at once (kubectl's start-up dominates; run one by one the
      // versions would take most of a minute), then each result is checked in turn
      const start = (args: string[], opts?: { timeoutMs?: number; stdin?: string }) => ({ args, result: kubectl(args, opts) });
      const ok = async (call: ReturnType<typeof start>): Promise<KubectlResult> => {
        const r = await call.result;
        t.equal(r.code, 0, `kubectl ${call.args.join(' ')} exits 0${r.code ? `: ${r.stderr}` : ''}`);
        return r;
      };
      const out = async (call: ReturnType<typeof start>) => (await ok(call)).stdout;

      // -f: a fresh ticker per version, followed from just after it is running
      const name = `follow-${version.replace('.', '')}`;
      const follow = (async () => {
        const created = await ok(
          start(['create', '-f', '-'], {
            stdin: logPod(name, { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/logs': '', 'sim.k8ts.io/log-every-ms': '100', 'sim.k8ts.io/run-ms': '2500' } }),
          }),
        );
        if (created.code !== 0) return undefined;
        await until(() => pod(name), running);
        const startedAt = Date.now();
        return { startedAt, followed: await ok(start(['logs', '-f', '--timestamps', name], { timeoutMs: 20_000 })) };
      })();

      const plain = start(['logs', 'one']);
      const tail = start(['logs', 'one', '--tail=1']);
      const limit = start(['logs', 'one', '--limit-bytes=8']);
      const stampedCall = start(['logs', 'one', '--timestamps']);
      const recentAsked = Date.now(); // the server's window starts 1 s before it answers, so after this - 1 s
      const recentCall = start(['logs', 'since', '--since=1s', '--timestamps']);
      const annotatedCall = start(['logs', 'annotated']);
      const multiCall = start(['logs', 'multi']);
      const allCall = start(['logs', 'multi', '--all-containers', '--prefix']);
      const depCall = start(['logs', 'deploy/logdep']);
      const labelCall = start(['logs', '-l', 'app=logdep', '--prefix']);
      const jobCall = start(['logs', 'job/logjob']);
      const previous = start(['logs', 'restarter', '-p']);

      t.equal(await out(plain), 'alpha\nbeta\ngamma\n', 'a pod');
      t.equal(await out(tail), 'gamma\n', '--tail');
      t.equal(await out(limit), 'alpha\nbe', '--limit-bytes cuts mid-line');
      t.same(
        lines(await out(stampedCall)).map((l) => STAMPED.exec(l)?.[2]),
        ['alpha', 'beta', 'gamma'],
        '--timestamps prefixes every line with an RFC3339Nano time',
      );

      const recent = await out(recentCall);
      t.notMatch(recent, /old line/, '--since drops lines older than the window');
      t.match(recent, /tick \d+\n/, '--since keeps recent lines');
      const stale = lines(recent).filter((l) => !(Date.parse(STAMPED.exec(l)?.[1] ?? '') >= recentAsked - 1_000));
      t.same(stale, [], '--since: every line is recent');

      const annotated = await ok(annotatedCall);
      t.equal(annotated.stdout, 'from b\n', 'the default-container annotation picks b');
      t.notMatch(annotated.stderr, /Defaulted container/, 'no notice when the annotation picks');
      const multi = await ok(multiCall);
      t.equal(multi.stdout, 'from a\n', 'without the annotation the first container');
      t.match(multi.stderr, /Defaulted container "a" out of: a, b/, "with kubectl's notice");
      t.same(lines(await out(allCall)).sort(), ['[pod/multi/a] from a', '[pod/multi/b] from b'], '--all-containers --prefix');

      t.equal(await out(depCall), 'dep line\n', 'deploy/X');
      t.same(lines(await out(labelCall)).sort(), depNames.map((p) => `[pod/${p}/app] dep line`), '-l with --prefix: every pod');
      t.equal(await out(jobCall), 'job done\n', 'job/X');
      t.equal(await out(previous), 'run\n', '-p after a restart');

      const f = await follow;
      if (f) {
        const got = lines(f.followed.stdout).map((l) => STAMPED.exec(l));
        t.ok(
          got.some((m) => m && Date.parse(m[1]!) > f.startedAt),
          '-f sees lines written after it started',
        );
        const texts = got.map((m) => m?.[2] ?? '');
        t.equal(tickSequenceProblem(texts), undefined, '-f: every tick once, in order');
        t.ok(texts.length >= 2, `-f saw the ticks (${texts.length})`);
        // it ended because the container did, not early: it holds the whole log, as read afterwards
        const whole = lines(await out(start(['logs', name])));
        t.same(texts, whole, '-f printed everything the container wrote');
        const done = await until(() => pod(name), (p) => p?.status?.containerStatuses?.[0]?.state?.terminated !== undefined);
        t.match(done?.status?.containerStatuses?.[0]?.state, { terminated: { exitCode: 0 } }, 'the container has exited');
      }
    });
  }

  await t.test('-f across log rotation sees every line exactly once, in order', async (t) => {
    await e.ok(
      ['create', '-f', '-'],
      logPod('chatty', { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/logs': '', 'sim.k8ts.io/log-every-ms': '10', 'sim.k8ts.io/run-ms': '3500' } }),
    );
    await until(() => pod('chatty'), running);
    const r = await e.kubectl(['logs', '-f', 'chatty'], { timeoutMs: 30_000 });
    t.equal(r.code, 0, `kubectl logs -f exits 0 when the container ends${r.code ? `: ${r.stderr}` : ''}`);
    const got = lines(r.stdout);
    t.equal(tickSequenceProblem(got), undefined, 'ticks 1..N, none lost or repeated');
    t.ok(got.length >= 100, `many lines (${got.length})`);
    const parts = await rotatedPartsUnder(e.cluster.dataDir, 'chatty');
    t.ok(parts.length >= 1, `the log was rotated while followed (${parts.length} rotated parts)`);
  });
});
