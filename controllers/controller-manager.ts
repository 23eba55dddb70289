/**
 * The controller manager (kube-controller-manager, in-process): every controller of the
 * registry, one SharedInformerFactory shared by all of them, one event recorder per event
 * source, all stopped together.
 *
 *   const cm = await startControllers({ client, logger });
 *   …
 *   await cm.stop();
 *
 * Leader election on the Lease kube-system/kube-controller-manager, as kube's does: only
 * the holder runs controllers, so several k8ts API servers sharing one store may each start
 * a manager and the controllers still run once. Leadership lost (the Lease could not be
 * renewed within the renew deadline) stops every controller and informer; the manager
 * then campaigns again with fresh caches, instead of exiting as kube's process does.
 *
 * It returns at once, not once the caches have synced or the Lease is won, so an API
 * server that is slow to answer does not block the caller.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../client/clock.js';
import { createEventRecorder } from '../client/events/create-event-recorder.js';
import type { EventRecorder } from '../client/events/types.js';
import { SharedInformerFactory } from '../client/informers/index.js';
import { runLeaderElection } from '../client/leaderelection/run-leader-election.js';
import type { KubeClient } from '../client/types.js';
import type { ControllerContext, ControllerDescriptor } from './controller-context.js';
import { CONTROLLERS } from './registry.js';
import type { ControllerManagerSettings } from './settings.js';

export type { ControllerManagerSettings } from './settings.js';

export const CONTROLLER_MANAGER_LEASE = { namespace: 'kube-system', name: 'kube-controller-manager' };

export interface StartControllersOptions {
  /** authenticated as system:kube-controller-manager (or any user allowed what the controllers do) */
  client: KubeClient;
  clock?: Clock;
  logger: Logger;
  settings?: ControllerManagerSettings;
  /** the cluster CA (PEM) the root CA publisher puts in every namespace; omit: no publisher */
  caPem?: string;
  /** the registry to run (tests); default every controller */
  controllers?: ControllerDescriptor[];
}

export interface RunningControllers {
  /** stop every controller and informer; resolves when all have finished */
  stop(): Promise<void>;
}

export async function startControllers(opts: StartControllersOptions): Promise<RunningControllers> {
  const clock = opts.clock ?? realClock;
  const logger = opts.logger.child({ component: 'controller-manager' });
  const settings = opts.settings ?? {};
  const wanted = selectControllers(opts.controllers ?? CONTROLLERS, settings.only);
  const abort = new AbortController();
  const runOnce = (signal: AbortSignal) => runControllers({ ...opts, clock, logger, settings }, wanted, signal);

  let done: Promise<void>;
  if (settings.leaderElection === false) {
    done = runOnce(abort.signal);
  } else {
    const election = settings.leaderElection ?? {};
    const identity = `${hostname()}_${randomUUID()}`;
    let term: Promise<void> = Promise.resolve();
    done = (async () => {
      // campaign again after a lost leadership, until stopped
      while (!abort.signal.aborted) {
        await runLeaderElection({
          client: opts.client,
          lease: CONTROLLER_MANAGER_LEASE,
          identity,
          clock,
          ...(election.leaseDurationMs !== undefined ? { leaseDurationMs: election.leaseDurationMs } : {}),
          ...(election.renewDeadlineMs !== undefined ? { renewDeadlineMs: election.renewDeadlineMs } : {}),
          ...(election.retryPeriodMs !== undefined ? { retryPeriodMs: election.retryPeriodMs } : {}),
          releaseOnCancel: true,
          signal: abort.signal,
          logger,
          onNewLeader: (leader) => leader !== identity && logger.info({ leader }, 'another controller manager leads'),
          onStartedLeading: (signal) => {
            term = runOnce(signal);
            return term;
          },
          onStoppedLeading: () => !abort.signal.aborted && logger.warn('leadership lost: controllers stopped; campaigning again'),
        }).catch((err: unknown) => {
          logger.error({ err }, 'leader election failed');
          abort.abort(err);
        });
        // the elector does not wait for its callback: the term's controllers and informers must be down before the next
        await term;
      }
    })();
  }

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        abort.abort(new Error('controller manager stopping'));
        await done;
      })();
      return stopping;
    },
  };
}

function selectControllers(all: ControllerDescriptor[], only: string[] | undefined): ControllerDescriptor[] {
  if (!only) return all;
  const known = new Set(all.map((c) => c.name));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length) throw new Error(`unknown controller(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return all.filter((c) => only.includes(c.name));
}

/** one term of leadership: fresh informers and controllers, run until `signal` aborts */
async function runControllers(
  opts: StartControllersOptions & { clock: Clock; logger: Logger; settings: ControllerManagerSettings },
  descriptors: ControllerDescriptor[],
  signal: AbortSignal,
): Promise<void> {
  const { clock, logger, settings } = opts;
  // every informer and worker of every controller listens on this one signal (the garbage collector alone watches ~40 kinds)
  setMaxListeners(0, signal);
  const informers = new SharedInformerFactory(opts.client, { clock, logger, resyncPeriodMs: settings.resyncPeriodMs ?? 0 });
  const recorders = new Map<string, ReturnType<typeof createEventRecorder>>();
  const recorderFor = (component: string): EventRecorder => {
    let recorder = recorders.get(component);
    if (!recorder) recorders.set(component, (recorder = createEventRecorder({ client: opts.client, source: { component }, clock, logger })));
    return recorder;
  };

  // controllers first: they ask the factory for their informers, which start() then runs
  const running: Array<{ name: string; run: (signal: AbortSignal) => Promise<void> }> = [];
  for (const descriptor of descriptors) {
    const ctx: ControllerContext = {
      client: opts.client,
      informers,
      clock,
      logger: logger.child({ controller: descriptor.name }),
      recorderFor,
      settings,
      ...(opts.caPem ? { caPem: opts.caPem } : {}),
    };
    const controller = descriptor.start(ctx);
    if (controller) running.push({ name: descriptor.name, run: (s) => controller.run(s) });
  }
  informers.start(signal);
  const runs = running.map(({ name, run }) =>
    run(signal).catch((err: unknown) => {
      if (!signal.aborted) logger.error({ err, controller: name }, 'a controller stopped with an error');
    }),
  );
  logger.info({ controllers: running.map((c) => c.name) }, 'controllers started');
  await Promise.all(runs);
  await informers.shutdown();
  for (const recorder of recorders.values()) {
    await recorder.flush();
    recorder.stop();
  }
}
