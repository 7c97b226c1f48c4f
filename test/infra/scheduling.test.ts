// 定时发布 and preview links in the template: the Scheduler schedule group, the role schedules assume (invoke review,
// dead-letter, nothing else), its DLQ with an alarm, the retry policy and time zone review creates schedules with,
// review's narrow schedule and PassRole grants, the preview-link key, and a clean cdk-nag report.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { publishScheduleSettings } from '#shared/schedule-settings.ts';

let app: App;
let site: Template;

beforeAll(() => {
  // No function is bundled: these assertions read the template only.
  app = new App({ context: { stage: 'test', 'aws:cdk:bundling-stacks': [] } });
  site = Template.fromStack(buildApp(app).site);
}, 900_000);

type Resource = {
  Properties: Record<string, unknown> & { Environment?: { Variables?: Record<string, unknown> } };
};
const resources = (type: string) => Object.entries(site.findResources(type)) as [string, Resource][];
const logicalId = (type: string, prefix: string) => {
  const found = resources(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]?.[0] ?? '';
};
const review = () => {
  const found = resources('AWS::Lambda::Function').find(
    ([, f]) => f.Properties.Environment?.Variables?.SERVICE_NAME === 'review',
  );
  expect(found).toBeDefined();
  return found as [string, Resource];
};

describe('publishing on time in AWS', () => {
  it('has one schedule group, and review creates its schedules there with the retry policy, DLQ and time zone', () => {
    const group = logicalId('AWS::Scheduler::ScheduleGroup', 'PublishSchedulesGroup');
    const role = logicalId('AWS::IAM::Role', 'PublishSchedulesSchedulerRole');
    const dlq = logicalId('AWS::SQS::Queue', 'AlarmsPublishScheduleDlq');
    const variables = review()[1].Properties.Environment?.Variables;
    expect(variables).toMatchObject({
      SCHEDULE_GROUP: { Ref: group },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [role, 'Arn'] },
      SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [dlq, 'Arn'] },
      SCHEDULE_TIME_ZONE: 'Asia/Shanghai',
      SCHEDULE_RETRY_ATTEMPTS: String(publishScheduleSettings.retryAttempts),
      SCHEDULE_MAX_EVENT_AGE_SECONDS: String(publishScheduleSettings.maximumEventAgeSeconds),
      PREVIEW_KEY_SECRET_ARN: { Ref: logicalId('AWS::SecretsManager::Secret', 'PublishSchedulesPreviewKey') },
    });
    expect(variables?.PUBLISH_SCHEDULER).toBeUndefined();
    expect(publishScheduleSettings.retryAttempts).toBeGreaterThan(0);
    expect(publishScheduleSettings.maximumEventAgeSeconds).toBe(3600);
  });

  it('lets only Scheduler of this account assume the role, which may invoke review and dead-letter, nothing else', () => {
    const role = logicalId('AWS::IAM::Role', 'PublishSchedulesSchedulerRole');
    const [reviewId] = review();
    site.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const policies = resources('AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles).includes(role),
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]?.[1].Properties.PolicyDocument as { Statement: unknown[] } | undefined;
    const statements = document?.Statement;
    expect(statements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [reviewId, 'Arn'] } },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'AlarmsPublishScheduleDlq'), 'Arn'] },
      },
    ]);
    // No managed policies either.
    const [, roleResource] = resources('AWS::IAM::Role').find(([id]) => id === role) ?? [];
    expect(roleResource?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('keeps failed schedules 14 days in an encrypted, TLS-only queue with an alarm', () => {
    const dlq = logicalId('AWS::SQS::Queue', 'AlarmsPublishScheduleDlq');
    site.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 86_400,
      SqsManagedSseEnabled: true,
    });
    site.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('定时发布'),
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
    });
  });

  it('lets review manage publish-* schedules in its group only, and pass the role to Scheduler only', () => {
    const [reviewId, fn] = review();
    const roleId = (fn.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
    const scheduler = statements.filter((s) => JSON.stringify(s.Action).includes('scheduler:'));
    expect(scheduler).toHaveLength(1);
    expect(scheduler[0]?.Action).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:UpdateSchedule',
      'scheduler:DeleteSchedule',
    ]);
    const resource = JSON.stringify(scheduler[0]?.Resource);
    expect(resource).toContain(':schedule/');
    expect(resource).toContain(logicalId('AWS::Scheduler::ScheduleGroup', 'PublishSchedulesGroup'));
    expect(resource).toContain('/publish-*');
    const passRole = statements.filter((s) => s.Action === 'iam:PassRole');
    expect(passRole).toEqual([
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId('AWS::IAM::Role', 'PublishSchedulesSchedulerRole'), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
    expect(reviewId).toMatch(/^Review/);
    // The preview key: generated, read by review.
    site.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    expect(JSON.stringify(statements)).toContain('secretsmanager:GetSecretValue');
  });

  it('routes schedule, unschedule, preview links and the receipt lookup through the API, public ones throttled', () => {
    for (const key of [
      'POST /api/admin/submissions/{id}/schedule',
      'POST /api/admin/submissions/{id}/unschedule',
      'POST /api/admin/submissions/{id}/preview-link',
      'DELETE /api/admin/submissions/{id}/preview-links',
    ])
      site.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'JWT' });
    for (const key of ['GET /api/previews/{token}', 'GET /api/submissions/{id}'])
      site.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE' });
    const stage = resources('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties.RouteSettings as Record<
      string,
      unknown
    >;
    expect(Object.keys(stage)).toEqual(
      expect.arrayContaining(['GET /api/previews/{token}', 'GET /api/submissions/{id}']),
    );
  });

  it('leaves cdk-nag AwsSolutions clean', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === undefined);
    expect(
      errors.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`),
    ).toEqual([]);
  });
});
