/** Registry entries: the Job controller (`job`) and the TTL-after-finished controller (`ttl-after-finished`). */
import type { ControllerDescriptor } from '../controller-context.js';
import { JobController } from './job-controller.js';
import { TtlAfterFinishedController } from './ttl-after-finished-controller.js';

export const jobDescriptor: ControllerDescriptor = {
  name: 'job',
  start: (ctx) =>
    new JobController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('job-controller'),
      ...(ctx.settings.job ? { settings: ctx.settings.job } : {}),
    }),
};

export const ttlAfterFinishedDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  start: (ctx) =>
    new TtlAfterFinishedController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      ...(ctx.settings.ttlAfterFinished ? { settings: ctx.settings.ttlAfterFinished } : {}),
    }),
};
