import t from 'tap';
import { cleanRuncFailure, conmonArgs, parseSyncPipe } from './conmon-args.js';

const base = {
  runcPath: '/usr/sbin/runc', runcRoot: '/s/runc', id: 'c1', bundle: '/s/c/c1', logPath: '/l/c1.log', exitDir: '/s/exits',
  persistDir: '/s/c/c1/persist', socketDir: '/s/s', conmonPidFile: '/s/c/c1/conmon.pid', containerPidFile: '/s/c/c1/container.pid',
};

t.test('conmonArgs: the tested flag set, with tty/stdin/log size only when asked', async (t) => {
  const args = conmonArgs(base);
  const flag = (name: string) => args[args.indexOf(name) + 1];
  t.equal(flag('-r'), '/usr/sbin/runc');
  t.equal(flag('--runtime-arg'), '--root=/s/runc');
  t.equal(flag('-l'), 'k8s-file:/l/c1.log');
  t.equal(flag('--exit-dir'), '/s/exits');
  t.equal(flag('--persist-dir'), '/s/c/c1/persist');
  t.equal(flag('-b'), '/s/c/c1');
  t.equal(flag('-c'), 'c1');
  t.notOk(args.includes('-t'));
  t.notOk(args.includes('-i'));
  t.notOk(args.includes('--log-size-max'));
  const interactive = conmonArgs({ ...base, tty: true, stdin: true, logSizeMax: 1024 });
  t.ok(interactive.includes('-t'));
  t.ok(interactive.includes('-i'));
  t.ok(interactive.includes('--leave-stdin-open'), 'stdin without stdinOnce stays open across attaches');
  t.notOk(conmonArgs({ ...base, stdin: true, stdinOnce: true }).includes('--leave-stdin-open'), 'stdinOnce: the first detach closes it');
  t.notOk(args.includes('--leave-stdin-open'), 'no stdin, nothing to leave open');
  t.equal(interactive[interactive.indexOf('--log-size-max') + 1], '1024');
});

t.test('parseSyncPipe reads the first answer and never needs EOF', async (t) => {
  const cases: Array<[string, string, unknown]> = [
    ['pid', '{"data": 4242}\n', { ok: true, pid: 4242 }],
    ['pid without newline yet', '{"data": 4242}', { ok: true, pid: 4242 }],
    ['partial', '{"data": 42', { incomplete: true }],
    ['empty', '', { incomplete: true }],
    ['failure with runc message', '{"data": -1, "message": "runc create failed: exec: \\"/nope\\": stat /nope: no such file or directory"}\n', { ok: false, message: 'runc create failed: exec: "/nope": stat /nope: no such file or directory' }],
    ['failure without message', '{"data": -1}\n', { ok: false, message: 'conmon reported failure (data -1)' }],
    ['garbage line', 'nonsense\n', { ok: false, message: 'conmon sent an unreadable answer: nonsense' }],
    ['later lines ignored', '{"data": 7}\n{"data": 0}\n', { ok: true, pid: 7 }],
  ];
  for (const [name, input, want] of cases) t.same(parseSyncPipe(input), want, name);
});

t.test('cleanRuncFailure unwraps logrus framing', async (t) => {
  t.equal(cleanRuncFailure('time="x" level=error msg="exec: \\"/nope\\": stat /nope: no such file or directory"\n'), 'exec: "/nope": stat /nope: no such file or directory');
  t.equal(cleanRuncFailure('  plain text \n'), 'plain text');
});
