/**
 * The controller manager (kube-controller-manager, in-process): one SharedInformerFactory
 * shared by every controller — so ten controllers watching Pods cost the API server one
 * watch — one event recorder, and the controllers themselves, all stopped together.
 *
 *   const cm = await startControllers({ client, logger });
 *   …
 *   await cm.stop();
 *
 * It returns once the informers and controllers are started, not once the caches have
 * synced (each controller waits for its own caches before it reconciles), so an API server
 * that is slow to answer does not block the caller. No leader election yet: run one.
 * The disruption controller, the ServiceAccounts controller and the root CA publisher are
 * here so far; issue 8 adds the workload controllers.
 */
import type { Logger } from 'pino';
import { realClock, type Clock } from '../client/clock.js';
import { createEventRecorder } from '../client/events/create-event-recorder.js';
import { SharedInformerFactory } from '../client/informers/index.js';
import type { KubeClient } from '../client/types.js';
import { DisruptionController, type DisruptionSettings } from './disruption/index.js';
import { rootCaController } from './root-ca/root-ca-controller.js';
import { serviceAccountsController } from './serviceaccounts/serviceaccounts-controller.js';

export interface ControllerManagerSettings {
  /** re-deliver every cached object to the controllers this often; 0 = never (default) */
  resyncPeriodMs?: number;
  disruption?: DisruptionSettings;
}

export interface StartControllersOptions {
  /** authenticated as system:kube-controller-manager (or any user allowed what the controllers do) */
  client: KubeClient;
  clock?: Clock;
  logger: Logger;
  settings?: ControllerManagerSettings;
  /** the cluster CA (PEM) the root CA publisher puts in every namespace; omit: no publisher */
  caPem?: string;
}

export interface RunningControllers {
  /** stop every controller and informer; resolves when all have finished */
  stop(): Promise<void>;
}

/** kube's controllers record events as this component */
const EVENT_SOURCE = { component: 'controllermanager' };

export async function startControllers(opts: StartControllersOptions): Promise<RunningControllers> {
  const clock = opts.clock ?? realClock;
  const logger = opts.logger.child({ component: 'controller-manager' });
  const settings = opts.settings ?? {};
  const informers = new SharedInformerFactory(opts.client, { clock, logger, resyncPeriodMs: settings.resyncPeriodMs ?? 0 });
  const recorder = createEventRecorder({ client: opts.client, source: EVENT_SOURCE, clock, logger });
  const abort = new AbortController();

  // controllers first: they ask the factory for their informers, which start() then runs
  const disruption = new DisruptionController({
    client: opts.client,
    informers,
    clock,
    logger,
    recorder,
    ...(settings.disruption ? { settings: settings.disruption } : {}),
  });
  const serviceAccounts = serviceAccountsController({ client: opts.client, informers, clock, logger });
  const rootCa = opts.caPem ? rootCaController({ client: opts.client, informers, clock, logger, caPem: opts.caPem }) : undefined;
  informers.start(abort.signal);
  const runs = [disruption.run(abort.signal), serviceAccounts.run(abort.signal), ...(rootCa ? [rootCa.run(abort.signal)] : [])].map((run) =>
    run.catch((err: unknown) => logger.error({ err }, 'a controller stopped with an error')),
  );
  logger.info({ controllers: ['disruption', 'serviceaccount', ...(rootCa ? ['root-ca-cert-publisher'] : [])] }, 'controllers started');

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        abort.abort(new Error('controller manager stopping'));
        await Promise.all(runs);
        await informers.shutdown();
        await recorder.flush();
        recorder.stop();
      })();
      return stopping;
    },
  };
}
