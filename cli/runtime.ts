/**
 * Which container runtime the kubelets will use. `auto` picks runc only when it can
 * work: runc and conmon are on PATH, the CNI plugins are installed and we are root (runc,
 * overlay mounts and network namespaces all need root). Otherwise the
 * simulated runtime, said clearly in the log and on every Node.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RuntimeChoice } from './options.js';

export interface RuntimeResolution {
  runtime: 'runc' | 'simulated';
  /** why this one, for the startup log */
  reason: string;
  /** set when the user asked for runc but it cannot work here */
  warning?: string;
}

export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RuntimeEnv {
  runcPath: string | undefined;
  /** conmon, the per-container monitor (exit codes, logs); absent = not checked */
  conmonPath?: string | undefined;
  /** whether the CNI plugins are installed; absent = not checked */
  cniPlugins?: boolean;
  uid: number | undefined;
  /** whether this build has the runc runtime (kubelet/runtime/runc/) */
  runcRuntimeBuilt: boolean;
}

/** The runc runtime (kubelet/runtime/runc/) is part of this build. */
export const RUNC_RUNTIME_BUILT = true;

/** CNI's bridge plugin, from Debian's containernetworking-plugins */
export const CNI_BRIDGE_PLUGIN = '/usr/lib/cni/bridge';

export const hostRuntimeEnv = (): RuntimeEnv => ({
  runcPath: findOnPath('runc'),
  conmonPath: findOnPath('conmon'),
  cniPlugins: existsSync(CNI_BRIDGE_PLUGIN),
  uid: process.getuid?.(),
  runcRuntimeBuilt: RUNC_RUNTIME_BUILT,
});

export function resolveRuntime(choice: RuntimeChoice, env: RuntimeEnv = hostRuntimeEnv()): RuntimeResolution {
  const problem = !env.runcRuntimeBuilt
    ? 'the runc runtime is not part of this build yet'
    : env.runcPath === undefined
      ? 'runc is not on PATH'
      : 'conmonPath' in env && env.conmonPath === undefined
        ? 'conmon is not on PATH'
        : env.cniPlugins === false
          ? `the CNI plugins are not installed (${CNI_BRIDGE_PLUGIN})`
          : env.uid !== 0
            ? `not running as root (uid ${env.uid ?? 'unknown'})`
            : undefined;
  if (choice === 'simulated') return { runtime: 'simulated', reason: '--runtime simulated' };
  if (choice === 'runc') {
    return problem === undefined
      ? { runtime: 'runc', reason: `--runtime runc (${env.runcPath})` }
      : { runtime: 'runc', reason: '--runtime runc', warning: `runc cannot work here: ${problem}` };
  }
  return problem === undefined
    ? { runtime: 'runc', reason: `auto: ${env.runcPath} found and running as root` }
    : { runtime: 'simulated', reason: `auto: ${problem}` };
}
