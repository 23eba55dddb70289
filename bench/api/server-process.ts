/**
 * Runs the API server under test as `k8ts up` in a child process, as users run it, so
 * the bench's client (TLS, HTTP parsing, latency bookkeeping) does not share the
 * server's event loop. Ready = DATA_DIR/kubeconfig exists (up writes it last); the URL
 * and the admin credentials are read from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Credentials } from './client.js';

export interface ServerProcess {
  url: string;
  credentials: Credentials;
  pid: number;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

interface KubeconfigShape {
  clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

const fromBase64 = (s: string | undefined, what: string): string => {
  if (!s) throw new Error(`kubeconfig has no ${what}`);
  return Buffer.from(s, 'base64').toString('utf8');
};

async function waitForKubeconfig(path: string, child: ChildProcess, timeoutMs: number): Promise<KubeconfigShape> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`k8ts up exited with code ${child.exitCode} before serving`);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text) return parseYaml(text) as KubeconfigShape;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`k8ts up did not write ${path} within ${timeoutMs} ms`);
}

/** `upArgs` are extra `k8ts up` flags; the default runs the control plane alone. */
export async function startServerProcess(dataDir: string, backend: 'level' | 'memory', upArgs: string[] = ['--nodes', '0']): Promise<ServerProcess> {
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the server alone
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, CLI, 'up', '--data-dir', dataDir, '--port', '0', '--store', backend, '--log-level', 'error', ...upArgs];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const kc = await waitForKubeconfig(join(dataDir, 'kubeconfig'), child, 30_000);
    const cluster = kc.clusters?.[0]?.cluster;
    const user = kc.users?.[0]?.user;
    if (!cluster?.server) throw new Error('kubeconfig has no server');
    return {
      url: cluster.server,
      credentials: {
        ca: fromBase64(cluster['certificate-authority-data'], 'CA'),
        cert: fromBase64(user?.['client-certificate-data'], 'client certificate'),
        key: fromBase64(user?.['client-key-data'], 'client key'),
      },
      pid: child.pid!,
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  }
}
