/**
 * Run one CNI plugin binary the way libcni does (CNI spec 1.0, "Execution protocol"): the
 * operation and the container in CNI_* environment variables, the network configuration as
 * JSON on stdin, the result (ADD) as JSON on stdout; on failure a non-zero exit with the
 * error object `{code, msg, details}` on stdout.
 *
 * Errors read like libcni's, so a user sees the same text in a FailedCreatePodSandBox event
 * as with containerd: `plugin type="bridge" name="k8ts-1a2b3c" failed (add): <msg>; <details>`.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_NETWORK_SETTINGS } from './network-settings.js';
import { runTool, type ToolResult } from './run-tool.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

/** one plugin's network configuration; `type` names the binary */
export interface CniPluginConfig {
  cniVersion: string;
  name: string;
  type: string;
  [key: string]: unknown;
}

export interface CniInterface {
  name: string;
  mac?: string;
  /** set for interfaces inside the container's namespace */
  sandbox?: string;
}

export interface CniIPConfig {
  /** index into `interfaces` */
  interface?: number;
  /** CIDR notation: 10.244.1.2/24 */
  address: string;
  gateway?: string;
}

export interface CniResult {
  cniVersion?: string;
  interfaces?: CniInterface[];
  ips?: CniIPConfig[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

export interface CniInvocation {
  command: CniCommand;
  containerId: string;
  /** the pinned netns; may be '' for DEL when the namespace is already gone */
  netnsPath: string;
  ifName: string;
  config: CniPluginConfig;
  /** where the plugin binaries live (also CNI_PATH, for host-local called by bridge) */
  pluginDir?: string;
  timeoutMs?: number;
  /** CNI_ARGS: `K=V;K2=V2` */
  cniArgs?: string;
}

/** a plugin's error object, with the words libcni puts around it */
export class CniPluginError extends Error {
  override name = 'CniPluginError';
  constructor(
    readonly plugin: { type: string; name: string; command: CniCommand },
    /** the CNI error code (spec §"Error"), undefined when the plugin printed none */
    readonly code: number | undefined,
    readonly msg: string,
    readonly details?: string,
  ) {
    super(`plugin type="${plugin.type}" name="${plugin.name}" failed (${plugin.command.toLowerCase()}): ${msg}${details ? `; ${details}` : ''}`);
  }
}

export type CniOutcome = { ok: true; result?: CniResult } | { ok: false; code?: number; msg: string; details?: string };

/** what a finished plugin run means (pure: the table-tested half of execCniPlugin) */
export function interpretCniOutput(r: Pick<ToolResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>, timeoutMs?: number): CniOutcome {
  if (r.timedOut) return { ok: false, msg: `netplugin did not finish within ${timeoutMs ?? '?'} ms` };
  const stdout = r.stdout.trim();
  let parsed: unknown;
  try {
    parsed = stdout ? JSON.parse(stdout) : undefined;
  } catch {
    parsed = undefined;
  }
  if (r.exitCode === 0) {
    if (stdout && (parsed === undefined || typeof parsed !== 'object' || parsed === null)) {
      return { ok: false, msg: `netplugin printed a result that is not a JSON object: ${JSON.stringify(stdout.slice(0, 200))}` };
    }
    return { ok: true, result: parsed as CniResult | undefined };
  }
  if (parsed && typeof parsed === 'object' && typeof (parsed as { msg?: unknown }).msg === 'string') {
    const e = parsed as { code?: unknown; msg: string; details?: unknown };
    return {
      ok: false,
      code: typeof e.code === 'number' ? e.code : undefined,
      msg: e.msg,
      details: typeof e.details === 'string' && e.details ? e.details : undefined,
    };
  }
  const stderr = r.stderr.trim();
  if (stderr) return { ok: false, msg: `netplugin failed: ${JSON.stringify(stderr)}` };
  return { ok: false, msg: `netplugin failed with no error message: exit status ${r.exitCode}` };
}

/** the environment libcni gives a plugin: ours plus the CNI_* variables */
export function cniEnvironment(inv: CniInvocation, pluginDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    CNI_COMMAND: inv.command,
    CNI_CONTAINERID: inv.containerId,
    CNI_NETNS: inv.netnsPath,
    CNI_IFNAME: inv.ifName,
    CNI_PATH: pluginDir,
    CNI_ARGS: inv.cniArgs ?? '',
  };
}

/** runs the plugin; resolves with its result (ADD/CHECK may return none), throws CniPluginError */
export async function execCniPlugin(inv: CniInvocation): Promise<CniResult | undefined> {
  const pluginDir = inv.pluginDir ?? DEFAULT_NETWORK_SETTINGS.cniPluginDir;
  const timeoutMs = inv.timeoutMs ?? DEFAULT_NETWORK_SETTINGS.cniPluginTimeoutMs;
  const plugin = { type: inv.config.type, name: inv.config.name, command: inv.command };
  const binary = join(pluginDir, inv.config.type);
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new CniPluginError(plugin, undefined, `failed to find plugin "${inv.config.type}" in path [${pluginDir}]`);
  }
  const r = await runTool(binary, [], { input: JSON.stringify(inv.config), env: cniEnvironment(inv, pluginDir), timeoutMs });
  if (r.startError) throw new CniPluginError(plugin, undefined, r.startError.message);
  const outcome = interpretCniOutput(r, timeoutMs);
  if (!outcome.ok) throw new CniPluginError(plugin, outcome.code, outcome.msg, outcome.details);
  return outcome.result;
}
