// 定时发布 in AWS: the EventBridge Scheduler schedule group that holds each article's one-time schedule, the role
// schedules assume (it may invoke review and nothing else, plus the dead-letter delivery Scheduler makes with it),
// the signing key for preview links, and what review needs to create, replace and delete those schedules.
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { publishScheduleSettings, SCHEDULE_ENV } from '../../shared/schedule-settings.ts';
import { acknowledge, acknowledgeObjectPrefixGrants } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

export interface PublishSchedulesProps {
  /** The function each schedule invokes with a ScheduledPublish, and which creates the schedules. */
  readonly review: NewsFunction;
  readonly deadLetterQueue: IQueue;
}

export class PublishSchedules extends Construct {
  readonly group: CfnScheduleGroup;
  readonly role: Role;
  readonly previewKey: Secret;

  constructor(scope: Construct, id: string, props: PublishSchedulesProps) {
    super(scope, id);
    const { review, deadLetterQueue } = props;
    const stack = Stack.of(this);
    this.group = new CfnScheduleGroup(this, 'Group', {});

    // Only Scheduler, acting for this account, may assume it.
    this.role = new Role(this, 'SchedulerRole', {
      description: 'Assumed by the scheduled-publish schedules: invoke review, dead-letter what fails',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [review.fn.functionArn],
      }),
    );
    // Scheduler delivers dead-letter events with the schedule's own role (Scheduler user guide, "Configuring a
    // schedule's dead-letter queue"); the queue is SQS-managed encryption, so no KMS grant.
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [deadLetterQueue.queueArn],
      }),
    );

    // The preview-link signing key: 64 random characters, read once per review container.
    this.previewKey = new Secret(this, 'PreviewKey', {
      description: 'Signs shareable preview links; replacing it withdraws every outstanding link',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.previewKey.grantRead(review.fn);
    acknowledge(this.previewKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the preview-link key would only withdraw all outstanding links (they live 24 hours); an editor can withdraw them per article. No credentials are held.',
      },
    ]);

    const groupName = this.group.ref;
    review.fn.addEnvironment(SCHEDULE_ENV.group, groupName);
    review.fn.addEnvironment(SCHEDULE_ENV.roleArn, this.role.roleArn);
    review.fn.addEnvironment(SCHEDULE_ENV.dlqArn, deadLetterQueue.queueArn);
    review.fn.addEnvironment(SCHEDULE_ENV.timeZone, publishScheduleSettings.timeZone);
    review.fn.addEnvironment(SCHEDULE_ENV.retryAttempts, String(publishScheduleSettings.retryAttempts));
    review.fn.addEnvironment(
      SCHEDULE_ENV.maximumEventAgeSeconds,
      String(publishScheduleSettings.maximumEventAgeSeconds),
    );
    review.fn.addEnvironment('PREVIEW_KEY_SECRET_ARN', this.previewKey.secretArn);

    // review manages the articles' schedules in this group only, and may hand Scheduler this role only.
    review.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${groupName}/${publishScheduleSettings.namePrefix}*`,
          }),
        ],
      }),
    );
    review.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeObjectPrefixGrants(
      review,
      [`/${publishScheduleSettings.namePrefix}*`],
      `review creates one schedule per article, named ${publishScheduleSettings.namePrefix}<article id>, in the 定时发布 group only.`,
    );
  }
}
