/**
 * pods/exec, attach and portforward options: the query as kube reads it, the kubelet's
 * query as kube writes it, and kube's container choice with its messages.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { ApiError } from '../../errors/api-error.js';
import { kubeletPortForwardQuery, kubeletStreamQuery, parsePodExecOptions, parsePodPortForwardOptions, streamContainerOf } from './pod-connect.js';

t.test('exec options to the kubelet query', async (t) => {
  const cases: Array<[string, Record<string, string | string[]>, string]> = [
    ['kubectl exec -it', { command: ['sh', '-c', 'echo a b'], container: 'app', stdin: 'true', stdout: 'true', tty: 'true' }, 'command=sh&command=-c&command=echo+a+b&input=1&output=1&tty=1'],
    ['all streams, no tty', { command: 'ls', stdin: 'true', stdout: 'true', stderr: 'true' }, 'command=ls&error=1&input=1&output=1'],
    ['false and 0 are false', { command: 'ls', stdin: 'false', stdout: '0', stderr: '1' }, 'command=ls&error=1'],
    ['no command, no streams: passed on for the kubelet to refuse', {}, ''],
    ['special characters are encoded', { command: ['a&b=c', 'ü/'], stdout: 'true' }, 'command=a%26b%3Dc&command=%C3%BC%2F&output=1'],
  ];
  for (const [name, query, want] of cases) t.equal(kubeletStreamQuery(parsePodExecOptions(query)), want, name);
  t.same(parsePodExecOptions({ container: 'c', command: 'x' }).container, 'c');
});

t.test('port-forward options', async (t) => {
  t.equal(kubeletPortForwardQuery(parsePodPortForwardOptions({ ports: ['80', '443'] })), 'port=80%2C443');
  t.equal(kubeletPortForwardQuery(parsePodPortForwardOptions({})), '');
  t.throws(() => parsePodPortForwardOptions({ ports: 'http' }), { message: 'strconv.ParseInt: parsing "http": invalid syntax' });
  t.throws(() => parsePodPortForwardOptions({ ports: '99999999999' }), { message: 'strconv.ParseInt: parsing "99999999999": value out of range' });
});

t.test('container choice for exec and attach', async (t) => {
  const pod = (containers: string[], inits: string[] = [], ephemeral: string[] = []): V1Pod => ({
    metadata: { name: 'p' },
    spec: {
      containers: containers.map((name) => ({ name })),
      ...(inits.length ? { initContainers: inits.map((name) => ({ name })) } : {}),
      ...(ephemeral.length ? { ephemeralContainers: ephemeral.map((name) => ({ name })) } : {}),
    },
  });
  const cases: Array<[string, V1Pod, string | undefined, string | { code: number; message: string }]> = [
    ['the only container', pod(['app']), undefined, 'app'],
    ['a named one', pod(['a', 'b']), 'b', 'b'],
    ['an init container by name', pod(['a'], ['setup']), 'setup', 'setup'],
    ['an ephemeral container by name', pod(['a'], [], ['debugger']), 'debugger', 'debugger'],
    ['several: every container listed, init first', pod(['a', 'b'], ['setup'], ['dbg']), undefined, { code: 400, message: 'a container name must be specified for pod p, choose one of: [setup a b dbg]' }],
    ['none in the pod', pod([]), undefined, { code: 400, message: 'a container name must be specified for pod p' }],
    ['an unknown name', pod(['a']), 'zz', { code: 400, message: 'container zz is not valid for pod p' }],
  ];
  for (const [name, p, wanted, want] of cases) {
    if (typeof want === 'string') t.equal(streamContainerOf(p, wanted), want, name);
    else {
      try {
        streamContainerOf(p, wanted);
        t.fail(`${name}: should throw`);
      } catch (err) {
        t.ok(err instanceof ApiError, name);
        t.equal((err as ApiError).code, want.code, name);
        t.equal((err as ApiError).message, want.message, name);
      }
    }
  }
});
