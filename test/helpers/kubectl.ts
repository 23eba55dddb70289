/**
 * Runs the real kubectl binaries against a cluster, each test with its own HOME and
 * cache dir so kubectl's discovery cache never leaks between tests or versions.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

export const kubectlPath = (version: string) => join(KUBECTL_DIR, `kubectl.${version}`);
export const hasKubectl = (version: string) => existsSync(kubectlPath(version));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Kubectl = (args: string[], opts?: { stdin?: string; timeoutMs?: number }) => Promise<KubectlResult>;

/** A kubectl of `version` bound to `kubeconfigPath`; call cleanup() when done. */
export async function kubectlFor(version: string, kubeconfigPath: string): Promise<{ kubectl: Kubectl; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const kubectl: Kubectl = (args, opts = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        kubectlPath(version),
        ['--kubeconfig', kubeconfigPath, '--cache-dir', join(home, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
      else child.stdin?.end();
    });
  return { kubectl, cleanup: () => rm(home, { recursive: true, force: true }) };
}
