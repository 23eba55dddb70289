/**
 * One end-to-end fixture: a fresh cluster (memory store, no nodes) and a kubectl of one
 * version bound to it, with `ok` / `fails` wrappers that record kubectl's exit code as a
 * tap assertion. Everything is torn down with the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startCluster, type Cluster, type ClusterOptions } from '../../index.js';
import { kubectlFor, type Kubectl } from './kubectl.js';

export interface E2e {
  cluster: Cluster;
  kubectl: Kubectl;
  /** runs kubectl, asserts exit 0, returns stdout */
  ok(args: string[], stdin?: string): Promise<string>;
  /** runs kubectl, asserts a non-zero exit, returns stderr */
  fails(args: string[], stdin?: string): Promise<string>;
}

/**
 * `options` override the fixture's defaults: memory store, no nodes, silent, and no
 * scheduler or controllers — API tests must not race a control loop writing pod status;
 * tests of the control plane turn them on (`scheduler: {}`, `controllers: {}`).
 */
export async function e2eCluster(t: Test, version: string, options: ClusterOptions = {}): Promise<E2e> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-'));
  const cluster = await startCluster({ dataDir, port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false, ...options });
  const { kubectl, cleanup } = await kubectlFor(version, cluster.kubeconfigPath);
  t.teardown(async () => {
    await cleanup();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const run = (args: string[], stdin?: string) => kubectl(args, stdin !== undefined ? { stdin } : {});
  return {
    cluster,
    kubectl,
    async ok(args, stdin) {
      const r = await run(args, stdin);
      t.equal(r.code, 0, `kubectl ${args.join(' ')} exits 0${r.code ? `: ${r.stderr}` : ''}`);
      return r.stdout;
    },
    async fails(args, stdin) {
      const r = await run(args, stdin);
      t.not(r.code, 0, `kubectl ${args.join(' ')} fails`);
      return r.stderr;
    },
  };
}
