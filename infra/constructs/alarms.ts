// Operational alarms, the dead-letter queue for records that render could not process, and the queue that keeps
// asynchronous invocations (S3 → images, render's own continuations and schedule) that failed all their retries.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeGuard } from './guard.ts';
import { acknowledge } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

export interface OpsAlarmsProps {
  readonly alarmEmail?: string;
}

/** Async invocations are retried twice by Lambda (three tries) before they go to the failure queue. */
export const ASYNC_RETRY_ATTEMPTS = 2;

export class OpsAlarms extends Construct {
  readonly topic: Topic;
  readonly renderDlq: Queue;
  /** On-failure destination of asynchronous invocations: the event and the error, kept 14 days for a replay. */
  readonly failedInvocations: Queue;
  /** EventBridge Scheduler's dead-letter queue: a scheduled publish (定时发布) that failed every retry. */
  readonly publishScheduleDlq: Queue;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Newsroom pipeline alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.renderDlq = this.failureQueue(
      'RenderDlq',
      'Stream records that render could not process are waiting in the DLQ. See README "Ops".',
    );
    this.failedInvocations = this.failureQueue(
      'FailedInvocations',
      'An asynchronous invocation (a photo to process, a rebuild run, the 点击排行 refresh) failed every retry; the event and its error are in the queue.',
    );
    this.publishScheduleDlq = this.failureQueue(
      'PublishScheduleDlq',
      'A scheduled publish (定时发布) could not invoke review after every retry: the article is still scheduled. See README "Ops".',
    );
  }

  private failureQueue(id: string, description: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new Alarm(this, `${id}NotEmpty`, {
      alarmDescription: description,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(this.topic));
    acknowledge(queue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter destination.' },
    ]);
    acknowledgeGuard(queue, ['sqs_dlq_check']);
    return queue;
  }

  /** Sends `fn`'s failed asynchronous invocations, after Lambda's retries, to the failure queue. */
  keepFailedInvocations(fn: NewsFunction): void {
    fn.fn.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failedInvocations),
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
    });
  }

  /** An alarm on the topic when `fn` reports any error within five minutes. */
  alarmOnErrors(name: string, fn: NewsFunction): Alarm {
    const alarm = new Alarm(this, `${name}Errors`, {
      alarmDescription: `The ${name} function reported errors (invocation failures or timeouts); see its log group.`,
      metric: fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
