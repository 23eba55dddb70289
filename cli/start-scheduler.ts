/**
 * The scheduler inside `k8ts up`: its configuration (--scheduler-config, or kube's
 * defaults), its own client certificate (system:kube-scheduler) against the API server's
 * URL like a remote kube-scheduler, and its HTTPS port for /debug/decisions with its own
 * serving certificate. A configuration the plugins reject is a StartupError.
 */
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import { createClient } from '../client/create-client.js';
import { loadSchedulerConfig } from '../scheduler/config/load-config.js';
import { defaultSchedulerConfig } from '../scheduler/config/parse-config.js';
import type { SchedulerConfig } from '../scheduler/config/types.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { startScheduler, type Scheduler } from '../scheduler/scheduler.js';
import { StartupError } from './errors.js';
import { SCHEDULER, type Pki } from './pki/pki.js';

/** embedders and tests: scheduler timings instead of kube's defaults */
export type SchedulerSettings = Partial<Pick<SchedulerConfig, 'podInitialBackoffSeconds' | 'podMaxBackoffSeconds' | 'percentageOfNodesToScore'>> & {
  /** deterministic tie-breaking between equally scored nodes */
  random?: () => number;
};

export interface SchedulerInput {
  /** from loadConfigOrExplain (loaded before anything listens, so a bad file fails fast) */
  config: SchedulerConfig;
  pki: Pki;
  url: string;
  settings?: SchedulerSettings;
  clock?: Clock;
  log: Logger;
}

export async function loadConfigOrExplain(path: string, log?: Logger): Promise<SchedulerConfig> {
  if (!path) return defaultSchedulerConfig();
  try {
    const { config, warnings } = await loadSchedulerConfig(path, inTreeRegistry.keys());
    for (const w of warnings) log?.warn(`--scheduler-config ${path}: ${w}`);
    return config;
  } catch (err) {
    throw new StartupError(`--scheduler-config ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export async function startClusterScheduler(input: SchedulerInput): Promise<{ scheduler: Scheduler; stop(): Promise<void> }> {
  const config = { ...input.config };
  const { random, ...timings } = input.settings ?? {};
  Object.assign(config, timings);
  const credentials = input.pki.clients.get(SCHEDULER.user);
  if (!credentials) throw new StartupError(`no scheduler certificate in ${input.pki.dir}`);
  const client = createClient({ server: input.url, ca: input.pki.ca.cert, cert: credentials.cert, key: credentials.key });
  let scheduler: Scheduler;
  try {
    scheduler = await startScheduler({
      client,
      config,
      logger: input.log.child({ component: 'scheduler' }),
      ...(input.clock ? { clock: input.clock } : {}),
      ...(random ? { random } : {}),
      decisionServer: { tls: { cert: input.pki.schedulerServing.cert, key: input.pki.schedulerServing.key, ca: input.pki.ca.cert } },
    });
  } catch (err) {
    client.close();
    if (err instanceof StartupError) throw err;
    throw new StartupError(`scheduler: ${(err as Error).message}`, { cause: err });
  }
  return {
    scheduler,
    stop: async () => {
      await scheduler.stop();
      client.close();
    },
  };
}
