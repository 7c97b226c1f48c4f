// How a scheduled publish is delivered: one definition for the CDK stack (which shows it in the review function's
// environment) and the EventBridge Scheduler adapter that creates each article's one-time schedule.
import { siteConfig } from './site-config.ts';

export const publishScheduleSettings = {
  /** `at()` expressions are read in the site's time zone, as editors mean them. */
  timeZone: siteConfig.timeZone,
  /** Scheduler retries a failed invocation of review (throttled, erroring) this many times, then dead-letters it. */
  retryAttempts: 5,
  /** An event older than this is dead-lettered rather than retried: a publish an hour late needs a person. */
  maximumEventAgeSeconds: 3600,
  /** Schedule names: one per article, so rescheduling replaces it. */
  namePrefix: 'publish-',
} as const;

/** The environment variables review reads them from (set by the stack from the settings above). */
export const SCHEDULE_ENV = {
  group: 'SCHEDULE_GROUP',
  roleArn: 'SCHEDULER_ROLE_ARN',
  dlqArn: 'SCHEDULE_DLQ_ARN',
  timeZone: 'SCHEDULE_TIME_ZONE',
  retryAttempts: 'SCHEDULE_RETRY_ATTEMPTS',
  maximumEventAgeSeconds: 'SCHEDULE_MAX_EVENT_AGE_SECONDS',
} as const;

/** Locally the runtime fires schedules itself from the Articles table (infra/local/publish-timers.ts). */
export const LOCAL_SCHEDULER_ENV = 'PUBLISH_SCHEDULER';
