/** Registry entries: the Job controller (`job`) and the TTL-after-finished controller (`ttl-after-finished`). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { JobController } from './job-controller.js';
import { TtlAfterFinishedController } from './ttl-after-finished-controller.js';

export const jobDescriptor: ControllerDescriptor = {
  name: 'job',
  start: (ctx) =>
    new JobController({ ...contextOptions(ctx, 'job-controller'), ...settingsOption(ctx.settings.job) }),
};

export const ttlAfterFinishedDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  start: (ctx) =>
    new TtlAfterFinishedController({ ...contextOptions(ctx), ...settingsOption(ctx.settings.ttlAfterFinished) }),
};
