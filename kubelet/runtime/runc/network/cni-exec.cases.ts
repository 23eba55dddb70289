import t from 'tap';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniPluginError, cniEnvironment, execCniPlugin, interpretCniOutput, type CniInvocation, type CniOutcome } from './cni-exec.js';

t.test('interpretCniOutput', async (t) => {
  const run = (exitCode: number, stdout: string, stderr = '', timedOut = false) => ({ exitCode, stdout, stderr, timedOut });
  const cases: { name: string; r: ReturnType<typeof run>; want: CniOutcome }[] = [
    { name: 'ADD result', r: run(0, '{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}'), want: { ok: true, result: { cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }] } } },
    { name: 'DEL prints nothing', r: run(0, ''), want: { ok: true, result: undefined } },
    { name: 'error object', r: run(1, '{"code":999,"msg":"failed to open netns","details":"x"}'), want: { ok: false, code: 999, msg: 'failed to open netns', details: 'x' } },
    { name: 'error object without details', r: run(1, '{"cniVersion":"1.0.0","code":6,"msg":"bad config"}'), want: { ok: false, code: 6, msg: 'bad config', details: undefined } },
    { name: 'no error object: stderr', r: run(2, 'not json', 'panic: oops\n'), want: { ok: false, msg: 'netplugin failed: "panic: oops"' } },
    { name: 'nothing at all', r: run(3, ''), want: { ok: false, msg: 'netplugin failed with no error message: exit status 3' } },
    { name: 'exit 0 with garbage', r: run(0, 'hello'), want: { ok: false, msg: 'netplugin printed a result that is not a JSON object: "hello"' } },
    { name: 'timeout', r: run(-1, '', '', true), want: { ok: false, msg: 'netplugin did not finish within 50 ms' } },
  ];
  for (const c of cases) t.same(interpretCniOutput(c.r, 50), c.want, c.name);
});

t.test('CniPluginError reads like libcni', async (t) => {
  const e = new CniPluginError({ type: 'bridge', name: 'k8ts-1', command: 'ADD' }, 11, 'failed to allocate', 'range full');
  t.equal(e.message, 'plugin type="bridge" name="k8ts-1" failed (add): failed to allocate; range full');
  t.equal(e.msg, 'failed to allocate');
  t.equal(e.details, 'range full');
  t.equal(e.code, 11);
  t.equal(new CniPluginError({ type: 'portmap', name: 'n', command: 'DEL' }, undefined, 'x').message, 'plugin type="portmap" name="n" failed (del): x');
});

t.test('environment', async (t) => {
  const inv: CniInvocation = { command: 'DEL', containerId: 'sb1', netnsPath: '', ifName: 'eth0', config: { cniVersion: '1.0.0', name: 'n', type: 'bridge' } };
  t.same(cniEnvironment(inv, '/usr/lib/cni', { PATH: '/bin', CNI_NETNS: 'stale' }), {
    PATH: '/bin',
    CNI_COMMAND: 'DEL',
    CNI_CONTAINERID: 'sb1',
    CNI_NETNS: '',
    CNI_IFNAME: 'eth0',
    CNI_PATH: '/usr/lib/cni',
    CNI_ARGS: '',
  });
});

t.test('execCniPlugin runs a plugin binary (fake plugins)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cni-exec-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const plugin = async (name: string, body: string) => {
    await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, name), 0o755);
  };
  // echoes what it was given: the CNI variables and its stdin
  await plugin('echo', `in=$(cat); printf '{"cniVersion":"1.0.0","env":"%s|%s|%s|%s|%s|%s","stdin":%s}' "$CNI_COMMAND" "$CNI_CONTAINERID" "$CNI_NETNS" "$CNI_IFNAME" "$CNI_PATH" "$CNI_ARGS" "$in"`);
  await plugin('fails', `cat >/dev/null; echo '{"cniVersion":"1.0.0","code":7,"msg":"boom","details":"more"}'; exit 1`);
  await plugin('hangs', 'exec sleep 30');
  const base = { containerId: 'sb1', netnsPath: '/run/netns/x', ifName: 'eth0', pluginDir: dir };
  const config = (type: string) => ({ cniVersion: '1.0.0', name: 'net1', type, extra: { a: [1, 2] } });

  const result = (await execCniPlugin({ ...base, command: 'ADD', config: config('echo'), cniArgs: 'K8S_POD_NAME=p' })) as unknown as { env: string; stdin: unknown };
  t.equal(result.env, `ADD|sb1|/run/netns/x|eth0|${dir}|K8S_POD_NAME=p`);
  t.same(result.stdin, config('echo'), 'the config arrives on stdin');

  const err = await execCniPlugin({ ...base, command: 'ADD', config: config('fails') }).catch((e: unknown) => e);
  t.ok(err instanceof CniPluginError);
  t.equal((err as CniPluginError).message, 'plugin type="fails" name="net1" failed (add): boom; more');
  t.equal((err as CniPluginError).code, 7);

  const missing = await execCniPlugin({ ...base, command: 'DEL', config: config('nope') }).catch((e: unknown) => e);
  t.equal((missing as Error).message, `plugin type="nope" name="net1" failed (del): failed to find plugin "nope" in path [${dir}]`);

  const slow = await execCniPlugin({ ...base, command: 'ADD', config: config('hangs'), timeoutMs: 100 }).catch((e: unknown) => e);
  t.match((slow as Error).message, /failed \(add\): netplugin did not finish within 100 ms/);
});
