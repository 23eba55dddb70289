/**
 * Captures the protobuf bodies kubectl 1.33 sends for its typed-client commands (skipped
 * without kubectl 1.33) and checks they decode to what the recorded fixtures decode to,
 * so a kubectl that changes its bodies shows up here. With K8TS_WRITE_PB_FIXTURES=1 it
 * rewrites kubectl-fixtures.ts from the live capture.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startCluster } from '../../index.js';
import { decodeProtobufBody } from './decode.js';
import { CAPTURE_COMMANDS, type CaptureCommand, FULL_CRONJOB } from './kubectl-commands.js';
import { KUBECTL_133_BODIES } from './kubectl-fixtures.js';
import { sourcePath } from '../../test/helpers/source-path.js';
import { hasKubectl133, kubectlAgainst, startRecordingProxy } from './kubectl-capture.js';

/** Blanks what differs between runs: the cluster's own TLS pair, the owner's uid. */
function withoutRunSpecifics(object: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(object), (key: string, value: unknown) => {
    if (key === 'uid' || key === 'tls.crt' || key === 'tls.key') return '';
    return value;
  }) as unknown;
}

t.test('kubectl 1.33 protobuf bodies', { skip: hasKubectl133() ? false : 'kubectl 1.33 is not installed' }, async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-pb-'));
  const cluster = await startCluster({ dataDir, port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  const admin = cluster.credentials('admin');
  const upstream = { url: cluster.url, ca: cluster.ca, cert: admin.cert, key: admin.key };
  const kubectl = await kubectlAgainst(cluster.url);
  t.teardown(async () => {
    await kubectl.cleanup();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const files = { cert: join(kubectl.dir, 'tls.crt'), key: join(kubectl.dir, 'tls.key') };
  await writeFile(files.cert, admin.cert);
  await writeFile(files.key, admin.key);

  // The template `create job --from=cronjob/full` copies, and its JSON as the server serves it.
  const setup = await startRecordingProxy(upstream);
  const manifest = join(kubectl.dir, 'full-cronjob.yaml');
  await writeFile(manifest, FULL_CRONJOB);
  const created = await kubectl.run(['--server', setup.url, 'create', '-f', manifest]);
  t.equal(created.code, 0, `the full cronjob is created${created.code ? `: ${created.stderr}` : ''}`);
  const served = await kubectl.run(['--server', setup.url, 'get', 'cronjob', 'full', '-o', 'json']);
  await setup.close();
  const templateSpec = served.code === 0 ? (JSON.parse(served.stdout) as { spec: { jobTemplate: { spec: unknown } } }).spec.jobTemplate.spec : undefined;

  // One proxy per command, so commands can run a few at a time and each body is known
  // to come from its own command.
  const captureOne = async (command: CaptureCommand) => {
    const proxy = await startRecordingProxy(upstream);
    try {
      const r = await kubectl.run(['--server', proxy.url, ...command.args(files)]);
      return { command, result: r, got: proxy.captured[0] };
    } finally {
      await proxy.close();
    }
  };
  const results = [];
  for (let i = 0; i < CAPTURE_COMMANDS.length; i += 4) {
    results.push(...(await Promise.all(CAPTURE_COMMANDS.slice(i, i + 4).map(captureOne))));
  }

  const bodies: Record<string, { url: string; body: string; json?: unknown }> = {};
  for (const { command, result, got } of results) {
    t.ok(got, `${command.name}: kubectl sent a protobuf body (exit ${result.code}${got ? '' : `: ${result.stderr}`})`);
    if (!got) continue;
    bodies[command.name] = { url: got.url, body: got.body.toString('base64'), ...(command.name === 'job-from-cronjob' ? { json: templateSpec } : {}) };
    const recorded = KUBECTL_133_BODIES[command.name];
    if (recorded) {
      const comparable = (bytes: Buffer) => withoutRunSpecifics(decodeProtobufBody(bytes).object);
      t.strictSame(comparable(got.body), comparable(Buffer.from(recorded.body, 'base64')), `${command.name}: same as the fixture`);
      t.equal(got.url, recorded.url, `${command.name}: same URL as the fixture`);
    }
  }
  if (process.env.K8TS_WRITE_PB_FIXTURES === '1') {
    const text = [
      '/**',
      ' * Protobuf request bodies recorded from kubectl 1.33 (kubectl-capture.test.ts), base64;',
      " * `json`: what the server served for the object kubectl copied (job-from-cronjob's template).",
      ' */',
      `export const KUBECTL_133_BODIES: Record<string, { url: string; body: string; json?: unknown }> = ${JSON.stringify(bodies, null, 2)};`,
      '',
    ].join('\n');
    await writeFile(sourcePath(import.meta.url, './kubectl-fixtures.ts'), text);
  }
});
