/** The CronJob controller's registry entry (kube-controller-manager's `cronjob`). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { CronJobController } from './cronjob-controller.js';

export const cronJobDescriptor: ControllerDescriptor = {
  name: 'cronjob',
  start: (ctx) =>
    new CronJobController({ ...contextOptions(ctx, 'cronjob-controller'), ...settingsOption(ctx.settings.cronJob) }),
};
