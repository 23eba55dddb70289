/**
 * portmap's global nat chains, removed when nobody uses them any more.
 *
 * portmap's DEL removes a pod's own chain (CNI-DN-<hash>) and its jump, but leaves the
 * chains every pod shares — CNI-HOSTPORT-DNAT (jumped to from PREROUTING and OUTPUT),
 * CNI-HOSTPORT-SETMARK and CNI-HOSTPORT-MASQ (from POSTROUTING) — behind for good
 * (runtime-recipe §5, "What DEL leaves behind"). They are global: another cluster on this
 * host (or a real CNI setup) may be using them, so they go only when CNI-HOSTPORT-DNAT holds
 * no pod's jump and no other user-defined chain points at any of them.
 *
 * The plan is pure (from `iptables-save -t nat`), the removal runs `iptables -t nat`.
 */
import type { Logger } from 'pino';
import { runTool, toolFailureText } from './run-tool.js';

export const HOSTPORT_DNAT_CHAIN = 'CNI-HOSTPORT-DNAT';
export const HOSTPORT_GLOBAL_CHAINS = [HOSTPORT_DNAT_CHAIN, 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ'] as const;
const BUILTIN_NAT_CHAINS = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);

export interface SavedRule {
  chain: string;
  /** the rule's arguments after `-A CHAIN` */
  args: string[];
  /** the line as iptables-save printed it */
  line: string;
}

export interface SavedTable {
  chains: string[];
  rules: SavedRule[];
}

/** splits one iptables-save rule line into arguments, honouring "quoted strings" with \" escapes */
export function splitRuleLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') {
      quoted = true;
      inArg = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** the chains and rules of the one table in an `iptables-save -t TABLE` output */
export function parseIptablesSave(text: string): SavedTable {
  const chains: string[] = [];
  const rules: SavedRule[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0]!);
    else if (line.startsWith('-A ')) {
      const [, chain, ...args] = splitRuleLine(line);
      if (chain) rules.push({ chain, args, line });
    }
  }
  return { chains, rules };
}

const jumpTarget = (rule: SavedRule): string | undefined => {
  const i = rule.args.findIndex((a) => a === '-j' || a === '--jump' || a === '-g' || a === '--goto');
  return i >= 0 ? rule.args[i + 1] : undefined;
};

export interface HostPortCleanupPlan {
  /** some pod (ours or anyone's) still forwards a host port: leave everything */
  inUse: boolean;
  /** `-D CHAIN args…` for each jump from a built-in chain */
  deleteJumps: string[][];
  /** the global chains that exist, to flush and delete */
  deleteChains: string[];
}

export function planHostPortCleanup(nat: SavedTable): HostPortCleanupPlan {
  const globals = new Set<string>(HOSTPORT_GLOBAL_CHAINS);
  const present = HOSTPORT_GLOBAL_CHAINS.filter((c) => nat.chains.includes(c));
  const dnatInUse = nat.rules.some((r) => r.chain === HOSTPORT_DNAT_CHAIN);
  const referencedElsewhere = nat.rules.some((r) => !BUILTIN_NAT_CHAINS.has(r.chain) && !globals.has(r.chain) && globals.has(jumpTarget(r) ?? ''));
  if (dnatInUse || referencedElsewhere) return { inUse: true, deleteJumps: [], deleteChains: [] };
  const deleteJumps = nat.rules.filter((r) => BUILTIN_NAT_CHAINS.has(r.chain) && globals.has(jumpTarget(r) ?? '')).map((r) => ['-D', r.chain, ...r.args]);
  return { inUse: false, deleteJumps, deleteChains: present };
}

/** runs the plan; failures are logged, not thrown (another cluster may be changing the table) */
export async function removeIdleHostPortChains(logger: Logger, timeoutMs: number): Promise<void> {
  const save = await runTool('iptables-save', ['-t', 'nat'], { timeoutMs });
  if (save.exitCode !== 0) {
    logger.warn({ err: toolFailureText('iptables-save', save) }, 'cannot read the nat table; leaving portmap chains alone');
    return;
  }
  const plan = planHostPortCleanup(parseIptablesSave(save.stdout));
  if (plan.inUse) {
    logger.debug('portmap host-port chains still in use; left in place');
    return;
  }
  const iptables = async (args: string[]) => {
    const r = await runTool('iptables', ['-w', '-t', 'nat', ...args], { timeoutMs });
    if (r.exitCode !== 0) logger.warn({ args, err: toolFailureText('iptables', r) }, 'removing a portmap host-port rule failed');
  };
  for (const jump of plan.deleteJumps) await iptables(jump);
  // never flush CNI-HOSTPORT-DNAT: it was empty when planned, and a pod another cluster
  // added since must keep its forward (then -X fails and the chain stays); the other two
  // hold only portmap's fixed mark/masquerade rules, which every ADD puts back.
  for (const chain of plan.deleteChains) if (chain !== HOSTPORT_DNAT_CHAIN) await iptables(['-F', chain]);
  for (const chain of plan.deleteChains) await iptables(['-X', chain]);
}
