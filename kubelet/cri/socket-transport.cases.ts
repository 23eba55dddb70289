/**
 * The unix-socket transport on its own, against a scripted fake runtime: pipelined calls
 * answered out of order, CriError crossing intact, unknown methods, a dropped connection
 * failing calls in flight (and the next call dialing again), and the socket file's care
 * (stale file replaced, live one refused, mode 0600).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Runtime } from './api.js';
import { CriError, isCriError, type CriErrorCode } from './errors.js';
import { LengthPrefixedReader, FrameTooLargeError, withLengthPrefix } from './length-prefixed-frames.js';
import { connectRuntime, RuntimeConnection } from './socket-client.js';
import { serveRuntime } from './socket-server.js';

/** a runtime whose methods the test scripts; anything not scripted is missing (Unimplemented) */
const fakeRuntime = (methods: Partial<Runtime>): Runtime => ({ close: async () => {}, ...methods }) as Runtime;

async function socketDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-sock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function serveAndConnect(t: Test, impl: Runtime) {
  const path = join(await socketDir(t), 'runtime.sock');
  const server = await serveRuntime(impl, path);
  const client = await connectRuntime(path);
  t.teardown(async () => {
    await client.close();
    await server.close();
  });
  return { path, server, client };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const isCode = (err: unknown, code: CriErrorCode) => isCriError(err, code);

t.test('many calls in flight, answered out of order, each to its caller', async (t) => {
  let releaseVersion!: () => void;
  const versionHeld = new Promise<void>((resolve) => (releaseVersion = resolve));
  const { client } = await serveAndConnect(
    t,
    fakeRuntime({
      version: async () => {
        await versionHeld;
        return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '1', runtimeApiVersion: 'v1' };
      },
      status: async () => ({ status: { conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }] }, info: {} }),
      containerStatus: async ({ containerId }) => {
        // answer in reverse order of the ids' numbers
        await new Promise((resolve) => setTimeout(resolve, 50 - Number(containerId)));
        return { status: { id: containerId } as never, info: { echo: containerId } };
      },
    }),
  );

  const order: string[] = [];
  const version = client.version({ version: 'v1' }).then((v) => order.push(`version ${v.runtimeName}`));
  const status = client.status({ verbose: false }).then((s) => order.push(`status ${s.status.conditions[0]?.type}`));
  await status;
  t.same(order, ['status RuntimeReady'], 'a later call answered while an earlier one is held');
  releaseVersion();
  await version;
  t.same(order, ['status RuntimeReady', 'version fake']);

  const ids = Array.from({ length: 40 }, (_, i) => String(i));
  const answers = await Promise.all(ids.map((containerId) => client.containerStatus({ containerId, verbose: false })));
  t.same(
    answers.map((a) => a.info.echo),
    ids,
    'every caller got its own answer',
  );
});

t.test('errors cross the socket', async (t) => {
  const { client } = await serveAndConnect(
    t,
    fakeRuntime({
      containerStatus: async ({ containerId }) => {
        throw new CriError('NotFound', `container "${containerId}" not found`);
      },
      startContainer: async () => {
        throw new Error('disk on fire');
      },
      removeContainer: async () => ({ unexpected: { not: 'a field' } }) as never,
    }),
  );
  const notFound = await rejection(client.containerStatus({ containerId: 'abc', verbose: false }));
  t.ok(isCode(notFound, 'NotFound'), 'CriError rebuilt with its code');
  t.equal((notFound as Error).message, 'container "abc" not found', 'and its message');

  const unknown = await rejection(client.startContainer({ containerId: 'abc' }));
  t.ok(isCode(unknown, 'Unknown'), 'a plain Error becomes Unknown');
  t.equal((unknown as Error).message, 'disk on fire');

  // a response with stray fields still encodes (protobufjs ignores unknown keys)
  t.same(await client.removeContainer({ containerId: 'x' }), {});

  const unimplemented = await rejection(client.execSync({ containerId: 'abc', cmd: ['true'], timeout: 0 }));
  t.ok(isCode(unimplemented, 'Unimplemented'), 'a method the runtime lacks is Unimplemented');
});

t.test('an rpc name the server does not know is Unimplemented; a bad payload InvalidArgument', async (t) => {
  const { path } = await serveAndConnect(t, fakeRuntime({ version: async () => ({ version: '', runtimeName: '', runtimeVersion: '', runtimeApiVersion: '' }) }));
  const raw = new RuntimeConnection(path);
  t.teardown(() => raw.close());
  const err = await rejection(raw.call('NoSuchMethod', new Uint8Array()));
  t.ok(isCode(err, 'Unimplemented'), String(err));
  const bad = await rejection(raw.call('Version', new Uint8Array([0x0a, 0xff, 0xff])));
  t.ok(isCode(bad, 'InvalidArgument'), String(bad));
});

t.test('a dropped connection fails calls in flight with Unavailable; the next call dials again', async (t) => {
  const path = join(await socketDir(t), 'runtime.sock');
  const hanging = fakeRuntime({ status: () => new Promise(() => {}) });
  const first = await serveRuntime(hanging, path);
  const client = await connectRuntime(path);
  t.teardown(() => client.close());

  const inFlight = client.status({ verbose: false });
  const lost = rejection(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the call reach the server
  await first.close();
  t.ok(isCode(await lost, 'Unavailable'), 'pending call failed Unavailable');

  const nobodyThere = await rejection(client.status({ verbose: false }));
  t.ok(isCode(nobodyThere, 'Unavailable'), 'no server: Unavailable');

  const second = await serveRuntime(fakeRuntime({ status: async () => ({ status: { conditions: [] }, info: { second: 'yes' } }) }), path);
  t.teardown(() => second.close());
  t.same((await client.status({ verbose: false })).info, { second: 'yes' }, 'redialed the new server');

  await client.close();
  t.ok(isCode(await rejection(client.status({ verbose: false })), 'Unavailable'), 'after close: Unavailable');
});

t.test('connectRuntime to nothing fails Unavailable', async (t) => {
  const err = await rejection(connectRuntime(join(await socketDir(t), 'absent.sock')));
  t.ok(isCode(err, 'Unavailable'), String(err));
});

t.test('socket file: mode 0600, stale file replaced, live server or a regular file refused, removed on close', async (t) => {
  const dir = await socketDir(t);
  const path = join(dir, 'runtime.sock');

  // a stale socket: its server was SIGKILLed, so nobody unlinked it
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  t.ok((await stat(path)).isSocket(), 'stale socket file left behind');

  const server = await serveRuntime(fakeRuntime({}), path);
  t.equal((await stat(path)).mode & 0o777, 0o600, 'mode 0600');
  const live = await rejection(serveRuntime(fakeRuntime({}), path));
  t.match(String(live), /already serving/, 'a live server is not replaced');
  await server.close();
  await t.rejects(stat(path), 'socket file removed on close');

  const file = join(dir, 'not-a-socket');
  await writeFile(file, 'keep me');
  t.match(String(await rejection(serveRuntime(fakeRuntime({}), file))), /not a socket/, 'a regular file is refused');
  t.equal((await stat(file)).size, 7, 'and left alone');
});

t.test('length-prefixed frames survive any chunking; huge lengths are refused', async (t) => {
  const frames = [new Uint8Array([1, 2, 3]), new Uint8Array(), new Uint8Array(300).fill(7)];
  const stream = Buffer.concat(frames.map((f) => withLengthPrefix(f)));
  for (const chunkSize of [1, 2, 5, 64, stream.length]) {
    const reader = new LengthPrefixedReader();
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i += chunkSize) got.push(...reader.push(stream.subarray(i, i + chunkSize)));
    t.same(
      got.map((b) => [...b]),
      frames.map((f) => [...f]),
      `chunks of ${chunkSize}`,
    );
  }
  const reader = new LengthPrefixedReader(1024);
  t.throws(() => reader.push(withLengthPrefix(new Uint8Array(2048))), FrameTooLargeError);
});
