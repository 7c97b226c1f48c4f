// EventBridge Scheduler adapter for the PublishScheduler port: one one-time schedule per article, `at()` in the site's
// time zone, deleted after it ran, with a retry policy and a dead-letter queue, invoking review with the
// ScheduledPublish. The client is required on first use from the Lambda runtime's own SDK (external in
// infra/constructs/bundling.ts), so the review bundle and its cold start do not carry it.
import { createRequire } from 'node:module';
import { atExpression, type ScheduledPublish } from '../domain/scheduling.ts';
import type { PublishScheduler } from '../ports.ts';
import { publishScheduleSettings } from '../schedule-settings.ts';

type SchedulerSdk = typeof import('@aws-sdk/client-scheduler');

let loaded: { sdk: SchedulerSdk; client: InstanceType<SchedulerSdk['SchedulerClient']> } | undefined;
const scheduler = () => {
  if (!loaded) {
    const sdk = createRequire(import.meta.url)('@aws-sdk/client-scheduler') as SchedulerSdk;
    loaded = { sdk, client: new sdk.SchedulerClient({}) };
  }
  return loaded;
};

export interface ScheduleTarget {
  readonly group: string;
  readonly roleArn: string;
  readonly dlqArn: string;
  /** The review function's ARN (the handler's own, from its Lambda context). */
  readonly functionArn: () => string;
  readonly timeZone: string;
  readonly retryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

export const scheduleName = (id: string): string => `${publishScheduleSettings.namePrefix}${id}`;

/** The CreateSchedule / UpdateSchedule input for one article: a pure function, so a test can read it. */
export function scheduleInput(job: ScheduledPublish, at: string, target: ScheduleTarget) {
  return {
    Name: scheduleName(job.id),
    GroupName: target.group,
    ScheduleExpression: atExpression(at, target.timeZone),
    ScheduleExpressionTimezone: target.timeZone,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    State: 'ENABLED' as const,
    Description: `定时发布 ${job.id} (revision ${job.revision})`,
    Target: {
      Arn: target.functionArn(),
      RoleArn: target.roleArn,
      Input: JSON.stringify(job),
      RetryPolicy: {
        MaximumRetryAttempts: target.retryAttempts,
        MaximumEventAgeInSeconds: target.maximumEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: target.dlqArn },
    },
  };
}

export function eventBridgeScheduler(target: ScheduleTarget): PublishScheduler {
  return {
    async set(job, at) {
      const { sdk, client } = scheduler();
      const input = scheduleInput(job, at, target);
      try {
        await client.send(new sdk.CreateScheduleCommand(input));
      } catch (error) {
        // A reschedule: the article's schedule exists, so it is replaced in place.
        if (!(error instanceof sdk.ConflictException)) throw error;
        await client.send(new sdk.UpdateScheduleCommand(input));
      }
    },
    async cancel(id) {
      const { sdk, client } = scheduler();
      try {
        await client.send(new sdk.DeleteScheduleCommand({ Name: scheduleName(id), GroupName: target.group }));
      } catch (error) {
        if (!(error instanceof sdk.ResourceNotFoundException)) throw error;
      }
    },
  };
}
