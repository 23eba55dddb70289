/**
 * Starts a real registry for tests: Debian's /usr/bin/docker-registry (distribution 2.8)
 * with a config of our own in a temp dir — storage in that dir, listening on 127.0.0.1 on
 * a free port — never the packaged config, which listens on all interfaces (FACTS.md).
 *
 *   auth 'none'     anonymous pull and push
 *   auth 'htpasswd' Basic auth against an htpasswd file of bcrypt hashes (users)
 *   auth 'token'    Bearer tokens from token-server.ts (anonymous tokens unless users are set)
 *
 * stop() ends exactly the child it started, by PID (SIGTERM, then SIGKILL after a grace
 * period: the registry takes 1–2 s to stop), then removes the temp dir. Nothing else on
 * the host is touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import bcrypt from 'bcryptjs';
import { startTokenServer, type TokenServer } from './token-server.js';

export const DOCKER_REGISTRY_BINARY = '/usr/bin/docker-registry';
export const TEST_TOKEN_SERVICE = 'k8ts-test';
export const TEST_TOKEN_ISSUER = 'k8ts-test-issuer';

export interface RegistryHarnessOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  /** username → password (htpasswd users; token-server users). */
  users?: Record<string, string>;
  /** Refresh tokens the token server accepts (token auth): token → username. */
  refreshTokens?: Record<string, string>;
  /** How long to wait for the registry to answer /v2/ (default 15 s). */
  startTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL on stop (default 3 s). */
  stopGraceMs?: number;
}

export interface RunningRegistry {
  /** 127.0.0.1:PORT */
  host: string;
  /** The registry's log file (stdout and stderr), for failing tests to print. */
  logFile: string;
  tokenServer?: TokenServer;
  stop(): Promise<void>;
}

export function registryAvailable(): boolean {
  return existsSync(DOCKER_REGISTRY_BINARY);
}

export async function startRegistry(opts: RegistryHarnessOptions = {}): Promise<RunningRegistry> {
  const auth = opts.auth ?? 'none';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'k8ts-registry-'));
  let tokenServer: TokenServer | undefined;
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child) await stopChild(child, opts.stopGraceMs ?? 3000);
    await tokenServer?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    let authConfig = '';
    if (auth === 'htpasswd') {
      const file = path.join(dir, 'htpasswd');
      await fs.writeFile(file, htpasswdFile(opts.users ?? {}), { mode: 0o600 });
      authConfig = `auth:\n  htpasswd:\n    realm: k8ts-test\n    path: ${JSON.stringify(file)}\n`;
    } else if (auth === 'token') {
      tokenServer = await startTokenServer({
        service: TEST_TOKEN_SERVICE,
        issuer: TEST_TOKEN_ISSUER,
        ...(opts.users ? { users: opts.users } : {}),
        ...(opts.refreshTokens ? { refreshTokens: opts.refreshTokens } : {}),
      });
      const bundle = path.join(dir, 'token-root.pem');
      await fs.writeFile(bundle, tokenServer.rootCertPem);
      authConfig =
        `auth:\n  token:\n    realm: ${JSON.stringify(tokenServer.realm)}\n    service: ${TEST_TOKEN_SERVICE}\n` +
        `    issuer: ${TEST_TOKEN_ISSUER}\n    rootcertbundle: ${JSON.stringify(bundle)}\n`;
    }
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = path.join(dir, 'config.yml');
    await fs.writeFile(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: info',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: ${host}`,
        '  headers:',
        '    X-Content-Type-Options: [nosniff]',
        authConfig,
      ].join('\n'),
    );
    const logFile = path.join(dir, 'registry.log');
    const log = await fs.open(logFile, 'w');
    try {
      child = spawn(DOCKER_REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', log.fd, log.fd] });
    } finally {
      await log.close();
    }
    const started = child;
    const exited = new Promise<string>((resolve) => {
      started.once('exit', (code, signal) => resolve(`docker-registry exited (${signal ?? code})`));
      started.once('error', (err) => resolve(`docker-registry failed to start: ${err.message}`));
    });
    await waitUntilServing(host, exited, opts.startTimeoutMs ?? 15_000, logFile);
    return { host, logFile, ...(tokenServer ? { tokenServer } : {}), stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** htpasswd lines with bcrypt hashes (the only kind distribution accepts). Cost 5 keeps tests fast. */
export function htpasswdFile(users: Record<string, string>, cost = 5): string {
  return Object.entries(users)
    .map(([user, password]) => `${user}:${bcrypt.hashSync(password, cost)}\n`)
    .join('');
}

/** A port the kernel just handed out on 127.0.0.1 (free now; the registry binds it next). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls GET /v2/ until any HTTP answer (200, or 401 on auth registries). */
async function waitUntilServing(host: string, exited: Promise<string>, timeoutMs: number, logFile: string): Promise<void> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) break;
    try {
      const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = await fs.readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`registry on ${host} did not start: ${exitReason ?? `no answer within ${timeoutMs} ms`}\n${log.slice(-2000)}`);
}

/** SIGTERM the child we started (by PID), SIGKILL after graceMs, and wait for it to be gone. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, graceMs);
  await gone;
  clearTimeout(timer);
}
