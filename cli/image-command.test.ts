/**
 * `k8ts image`: flag parsing (table-driven), the crictl-style table, and import + ls run
 * end to end against a temp data dir.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildImage, buildLayer, packTar } from '../kubelet/images/build-image.js';
import { sha256Digest } from '../kubelet/images/digest.js';
import { StartupError } from './errors.js';
import { formatImageTable, humanSize, parseImageCommand, runImage } from './image-command.js';
import { DEFAULTS } from './options.js';
import { ContentStore } from '../kubelet/images/content-store.js';

t.test('parses commands and flags', async (t) => {
  const good: Array<[string[], object]> = [
    [['import', 'a.tar'], { kind: 'import', file: 'a.tar', dataDir: DEFAULTS.dataDir }],
    [['import', '--name', 'x/y:1', 'a.tar', '--data-dir', '/d'], { kind: 'import', file: 'a.tar', name: 'x/y:1', dataDir: '/d' }],
    [['ls'], { kind: 'ls', dataDir: DEFAULTS.dataDir }],
    [['list', '--data-dir=/d'], { kind: 'ls', dataDir: '/d' }],
    [['--help'], { kind: 'help' }],
    [['ls', '-h'], { kind: 'help' }],
  ];
  for (const [args, want] of good) t.same(parseImageCommand(args), want, args.join(' '));
  const bad: Array<[string[], RegExp]> = [
    [[], /needs a command: import or ls/],
    [['push'], /unknown command "k8ts image push"/],
    [['import'], /needs exactly one FILE/],
    [['import', 'a', 'b'], /needs exactly one FILE/],
    [['ls', 'x'], /unexpected argument "x"/],
    [['ls', '--name', 'x'], /--name only applies to k8ts image import/],
    [['ls', '--data-dir'], /--data-dir needs a value/],
    [['ls', '--bogus'], /unknown flag --bogus/],
    [['ls', '--data-dir', 'a', '--data-dir', 'b'], /given more than once/],
  ];
  for (const [args, message] of bad) t.throws(() => parseImageCommand(args), { name: 'UsageError', message }, args.join(' '));
});

t.test('the table and sizes look like crictl images', async (t) => {
  const table: Array<[number, string]> = [
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [897_123, '897.1kB'],
    [4_261_612, '4.262MB'],
    [2_000_000_000, '2GB'],
  ];
  for (const [bytes, want] of table) t.equal(humanSize(bytes), want, String(bytes));
  const id = `sha256:${'ab'.repeat(32)}`;
  t.equal(
    formatImageTable([
      { id, repoTags: ['docker.io/library/busybox:1.36', '127.0.0.1:5000/busybox:latest'], size: 2_100_000 },
      { id: `sha256:${'c'.repeat(64)}`, repoTags: [], size: 500 },
    ]),
    'IMAGE ID       REPOSITORY:TAG                   SIZE\n' +
      'abababababab   docker.io/library/busybox:1.36   2.1MB\n' +
      'abababababab   127.0.0.1:5000/busybox:latest    2.1MB\n' +
      'cccccccccccc   <none>:<none>                    500B\n',
  );
});

t.test('import then ls, on a temp data dir', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-image-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const layer = await buildLayer([{ path: 'hello', content: 'hi' }]);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } }));
  const configName = `${sha256Digest(config).slice(7)}.json`;
  const archive = join(dir, 'hello.tar');
  const file = (name: string, body: Buffer | string) => ({ header: { name, type: 'file' as const, size: Buffer.byteLength(body) }, body: Buffer.from(body) });
  await writeFile(archive, await packTar([file('manifest.json', JSON.stringify([{ Config: configName, RepoTags: ['hello:1'], Layers: ['l/layer.tar'] }])), file(configName, config), file('l/layer.tar', layer.tar)]));

  let out = '';
  await runImage({ kind: 'import', file: archive, dataDir: join(dir, 'data') }, (s) => (out += s));
  t.match(out, /^imported docker\.io\/library\/hello:1 \(sha256:[a-f0-9]{64}\)\n$/);
  out = '';
  await runImage({ kind: 'ls', dataDir: join(dir, 'data') }, (s) => (out += s));
  const lines = out.trimEnd().split('\n');
  t.equal(lines.length, 2);
  t.match(lines[1], new RegExp(`^${sha256Digest(config).slice(7, 19)}\\s+docker\\.io/library/hello:1\\s+[\\d.]+k?B$`));

  // the same store the runtime opens: an image built there shows up too
  const store = await ContentStore.open(join(dir, 'data', 'images'));
  await buildImage(store, { layers: [[{ path: 'x', content: 'y' }]], tag: 'example.com/other:2' });
  out = '';
  await runImage({ kind: 'ls', dataDir: join(dir, 'data') }, (s) => (out += s));
  t.match(out, /example\.com\/other:2/);

  await t.rejects(runImage({ kind: 'import', file: join(dir, 'missing.tar'), dataDir: join(dir, 'data') }, () => {}), StartupError);
  await writeFile(join(dir, 'junk.tar'), await packTar([file('README', 'x')]));
  await t.rejects(runImage({ kind: 'import', file: join(dir, 'junk.tar'), dataDir: join(dir, 'data') }, () => {}), { name: 'StartupError', message: /junk\.tar: neither an OCI layout/ });
});
