/**
 * What every controller is given by the controller manager (kube-controller-manager's
 * ControllerContext): the client (authenticated as system:kube-controller-manager), ONE
 * SharedInformerFactory shared by all controllers (ten controllers watching Pods cost the
 * API server one watch), the clock, a logger, an event recorder per controller (events
 * carry the controller's name as their source, e.g. `replicaset-controller`), and the
 * settings. A controller reaches the cluster through these only (ARCHITECTURE.md).
 */
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import type { EventRecorder } from '../client/events/types.js';
import type { SharedInformerFactory } from '../client/informers/informer-factory.js';
import type { KubeClient } from '../client/types.js';
import type { ControllerManagerSettings } from './settings.js';

export interface ControllerContext {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  /** already a child logger naming the controller */
  logger: Logger;
  /** records with source.component = the controller's event source (e.g. 'replicaset-controller') */
  recorderFor(component: string): EventRecorder;
  settings: ControllerManagerSettings;
  /** the cluster CA (PEM), for the root CA publisher */
  caPem?: string;
}

/** A started controller: run() waits for its caches, then reconciles until the signal aborts. */
export interface RunnableController {
  run(signal: AbortSignal): Promise<void>;
}

/**
 * One entry of the registry (controllers/registry.ts). `start` builds the controller and
 * asks the shared factory for its informers; it must not do I/O (the manager starts the
 * informers after every controller has asked for its own). Return undefined to stay off
 * (e.g. the root CA publisher without a CA).
 */
export interface ControllerDescriptor {
  /** kube-controller-manager's name for it, e.g. 'replicaset', 'garbage-collector' */
  name: string;
  start(ctx: ControllerContext): RunnableController | undefined;
}
