// The whole-site rebuild in AWS, fanned out: a Step Functions state machine that asks render for a plan (the pages
// whose inputs changed since the manifest, cut into slices), renders the slices with at most
// REBUILD_FAN_OUT.maxConcurrency render invocations at once, and then has render finish the run (manifest, one
// invalidation). The deploy-time trigger and `npm run rebuild -- --stage` both start it. docs/ARCHIVE-SCALE.md has
// the model behind the concurrency; functions/render/fan-out.ts the three commands.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { REBUILD_FAN_OUT } from '../../functions/render/rebuild-command.ts';
import { acknowledge } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

export interface RebuildFanOutProps {
  readonly render: NewsFunction;
  readonly alarmTopic: ITopic;
}

/** Errors of a render invocation worth another try: the function failed or timed out, or Lambda throttled it. */
const RETRIED_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'States.TaskFailed',
  'States.Timeout',
];

export class RebuildFanOut extends Construct {
  readonly stateMachine: StateMachine;
  /** Alarms when a rebuild run fails, times out or is aborted. */
  readonly failedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RebuildFanOutProps) {
    super(scope, id);
    const fn = props.render.fn;
    const invoke = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
      }).addRetry({
        errors: RETRIED_ERRORS,
        maxAttempts: REBUILD_FAN_OUT.sliceRetries,
        interval: Duration.seconds(REBUILD_FAN_OUT.retryIntervalSeconds),
        backoffRate: REBUILD_FAN_OUT.retryBackoffRate,
      });

    // The execution's input is the rebuild request ({force?, verify?, deployment?}); the plan answers the slices.
    const plan = invoke('Plan', { command: 'rebuild-plan', 'options.$': '$' }, '$.plan');
    const slice = invoke(
      'Slice',
      { command: 'rebuild-slice', 'run.$': '$.run', 'from.$': '$.from', 'to.$': '$.to' },
      JsonPath.DISCARD,
    );
    const finish = (name: string, failed: boolean) =>
      invoke(
        name,
        { command: 'rebuild-finish', 'run.$': '$.plan.run', 'pages.$': '$.plan.pages', failed },
        '$.summary',
      );
    const slices = new MapState(this, 'Slices', {
      itemsPath: '$.plan.slices',
      maxConcurrency: REBUILD_FAN_OUT.maxConcurrency,
      resultPath: JsonPath.DISCARD,
    });
    slices.itemProcessor(slice);
    // A slice that failed every retry: the others' pages are still recorded, so the next rebuild renders only the rest.
    slices.addCatch(
      finish('FinishAfterFailure', true).next(
        new Fail(this, 'SliceFailed', { error: 'RebuildSliceFailed', cause: 'A slice failed every retry.' }),
      ),
      { errors: ['States.ALL'], resultPath: '$.error' },
    );
    const definition = plan.next(
      new Choice(this, 'AnythingToRender')
        .when(Condition.isPresent('$.plan.slices[0]'), slices.next(finish('Finish', false)))
        .otherwise(new Succeed(this, 'NothingChanged')),
    );

    const logs = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(REBUILD_FAN_OUT.timeoutMinutes),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });

    const failures = new MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
        timedOut: this.stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
        aborted: this.stateMachine.metricAborted({ period: Duration.minutes(5) }),
      },
      period: Duration.minutes(5),
    });
    this.failedAlarm = new Alarm(this, 'RunFailed', {
      alarmDescription:
        'A site rebuild run failed, timed out or was aborted: its log group says which slice; run `npm run rebuild -- --stage <name>` again.',
      metric: failures,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.failedAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    const renderArn = Stack.of(this).resolve(fn.functionArn) as { 'Fn::GetAtt': [string, string] };
    acknowledge(this.stateMachine, [
      {
        id: `AwsSolutions-IAM5[Resource::<${renderArn['Fn::GetAtt'][0]}.Arn>:*]`,
        reason:
          "CDK's LambdaInvoke grants render's versions and aliases too (`<arn>:*`); the state machine invokes render and nothing else.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray trace segments and CloudWatch Logs log delivery for the state machine do not support resource-level permissions.',
      },
    ]);
  }
}
