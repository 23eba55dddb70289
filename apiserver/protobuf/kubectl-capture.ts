/**
 * Test helper: records the protobuf request bodies a real kubectl sends. kubectl talks
 * plain HTTP to a recording proxy on 127.0.0.1, which forwards every request to a real
 * cluster over TLS with the admin certificate, so kubectl gets real discovery answers
 * and its typed clients send their bodies exactly as they would to kube-apiserver.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOBUF_MEDIA_TYPE } from './decode.js';

export interface CapturedBody {
  method: string;
  url: string;
  body: Buffer;
}

export interface Upstream {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

export interface RecordingProxy {
  url: string;
  /** protobuf bodies seen so far, oldest first */
  captured: CapturedBody[];
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(upstream: Upstream, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const target = new URL(req.url ?? '/', upstream.url);
  const headers = { ...req.headers, host: target.host };
  const out = httpsRequest(
    target,
    { method: req.method, headers, ca: upstream.ca, cert: upstream.cert, key: upstream.key },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(err));
  });
  out.end(body);
}

export async function startRecordingProxy(upstream: Upstream): Promise<RecordingProxy> {
  const captured: CapturedBody[] = [];
  const server = createServer((req, res) => {
    readAll(req).then(
      (body) => {
        if ((req.headers['content-type'] ?? '').startsWith(PROTOBUF_MEDIA_TYPE)) {
          captured.push({ method: req.method ?? '', url: req.url ?? '', body });
        }
        forward(upstream, req, body, res);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
export const hasKubectl133 = () => existsSync(KUBECTL_133);

/** A kubectl 1.33 bound to a kubeconfig that points at `server` without credentials. */
export async function kubectlAgainst(server: string): Promise<{
  run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pb-capture-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "' + server + '"}}]',
      'users: [{name: u, user: {}}]',
      'contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]',
      'current-context: x',
      '',
    ].join('\n'),
  );
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        KUBECTL_133,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      ).stdin?.end();
    });
  return { run, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
