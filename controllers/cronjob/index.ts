/** The CronJob controller and its pure parts (schedules, run times, the Jobs it makes). */
export { CronJobController, DEFAULT_CRONJOB_WORKERS, type CronJobControllerOptions, type CronJobSettings } from './cronjob-controller.js';
export { cronJobDescriptor } from './descriptor.js';
export * from './cron-schedule.js';
export * from './cron-times.js';
export * from './cronjob-jobs.js';
