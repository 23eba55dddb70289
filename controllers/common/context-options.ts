/**
 * What a descriptor's start(ctx) hands every controller: the shared client, informer
 * factory, clock and (already named) logger from the ControllerContext, the event
 * recorder under the controller's kube event source, and its settings when configured.
 * One place, so each descriptor only names its event source and settings field.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient } from '../../client/types.js';
import type { ControllerContext } from '../controller-context.js';

export interface ContextOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
}

/** the context's shared pieces; with `eventSource` (e.g. 'job-controller'), a recorder too */
export function contextOptions(ctx: ControllerContext): ContextOptions;
export function contextOptions(ctx: ControllerContext, eventSource: string): ContextOptions & { recorder: EventRecorder };
export function contextOptions(ctx: ControllerContext, eventSource?: string): ContextOptions & { recorder?: EventRecorder } {
  const shared = { client: ctx.client, informers: ctx.informers, clock: ctx.clock, logger: ctx.logger };
  return eventSource === undefined ? shared : { ...shared, recorder: ctx.recorderFor(eventSource) };
}

/** `{ settings }` when the controller manager was given settings for this controller, else nothing */
export const settingsOption = <S>(settings: S | undefined): { settings?: S } => (settings ? { settings } : {});
