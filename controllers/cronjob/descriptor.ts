/** The CronJob controller's registry entry (kube-controller-manager's `cronjob`). */
import type { ControllerDescriptor } from '../controller-context.js';
import { CronJobController } from './cronjob-controller.js';

export const cronJobDescriptor: ControllerDescriptor = {
  name: 'cronjob',
  start: (ctx) =>
    new CronJobController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('cronjob-controller'),
      ...(ctx.settings.cronJob ? { settings: ctx.settings.cronJob } : {}),
    }),
};
