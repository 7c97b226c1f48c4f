// The whole-site rebuild in AWS fans out (infra/constructs/rebuild-fan-out.ts): a state machine plans, renders
// slices with a bounded number of render invocations at once, retries a failed slice, finishes the run, and alarms
// when a run fails. The deploy-time trigger and `npm run rebuild -- --stage` start it.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { REBUILD_FAN_OUT } from '#functions/render/rebuild-command.ts';
import { buildApp } from '#infra/bin/app.ts';

let app: App;
let built: ReturnType<typeof buildApp>;
let site: Template;

beforeAll(() => {
  app = new App({ context: { stage: 'test', 'aws:cdk:bundling-stacks': [] } });
  built = buildApp(app);
  site = Template.fromStack(built.site);
}, 600_000);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = (type: string): [string, Resource][] =>
  Object.entries(site.findResources(type)) as [string, Resource][];
const only = (type: string): [string, Resource] => {
  const found = resources(type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const renderId = (): string => {
  const found = resources('AWS::Lambda::Function').find(
    ([, f]) =>
      (f.Properties.Environment as { Variables?: Record<string, string> })?.Variables?.SERVICE_NAME ===
      'render',
  );
  expect(found).toBeDefined();
  return found?.[0] ?? '';
};

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  /** With `payloadResponseOnly`, the payload render receives. */
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; MaxAttempts: number; IntervalSeconds: number; BackoffRate: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  MaxConcurrency?: number;
  ItemsPath?: string;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  Choices?: { Next: string }[];
  Default?: string;
}

/** The state machine's definition: CDK writes it as an Fn::Join of strings and tokens; tokens become their JSON. */
function definition(): { StartAt: string; TimeoutSeconds?: number; States: Record<string, State> } {
  const [, machine] = only('AWS::StepFunctions::StateMachine');
  const body = machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '"TOKEN"')).join('');
  return JSON.parse(text.replaceAll('""TOKEN""', '"TOKEN"').replaceAll('"TOKEN"', '"TOKEN"'));
}

const renderTasks = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([name, state]): [string, State][] => [
    ...(state.Type === 'Task' ? [[name, state] as [string, State]] : []),
    ...(state.ItemProcessor ? renderTasks(state.ItemProcessor.States) : []),
  ]);

describe('the rebuild state machine', () => {
  it('is one standard state machine that plans, maps the slices, and finishes, with a run timeout', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    const d = definition();
    expect(d.TimeoutSeconds).toBe(REBUILD_FAN_OUT.timeoutMinutes * 60);
    const plan = d.States[d.StartAt];
    expect(plan?.Parameters).toEqual({ command: 'rebuild-plan', 'options.$': '$' });
    const choice = d.States[plan?.Next ?? ''];
    expect(choice?.Type).toBe('Choice');
    // A plan without slices (nothing changed) ends there: nothing is rendered.
    expect(d.States[choice?.Default ?? '']?.Type).toBe('Succeed');
    const map = d.States[choice?.Choices?.[0]?.Next ?? ''];
    expect(map?.Type).toBe('Map');
    expect(map?.ItemsPath).toBe('$.plan.slices');
    expect(d.States[map?.Next ?? '']?.Parameters).toMatchObject({
      command: 'rebuild-finish',
      failed: false,
    });
  });

  it(`renders at most ${REBUILD_FAN_OUT.maxConcurrency} slices at once, each by one render invocation`, () => {
    const map = Object.values(definition().States).find((s) => s.Type === 'Map');
    expect(map?.MaxConcurrency).toBe(REBUILD_FAN_OUT.maxConcurrency);
    expect(REBUILD_FAN_OUT.maxConcurrency).toBeGreaterThanOrEqual(8);
    const inner = Object.values(map?.ItemProcessor?.States ?? {});
    expect(inner).toHaveLength(1);
    expect(inner[0]?.Parameters).toEqual({
      command: 'rebuild-slice',
      'run.$': '$.run',
      'from.$': '$.from',
      'to.$': '$.to',
    });
  });

  it('retries every render invocation, and finishes a run whose slice failed before it fails', () => {
    const d = definition();
    const tasks = renderTasks(d.States);
    expect(tasks.map(([name]) => name.replace(/^RebuildFanOut/, '')).sort()).toEqual([
      'Finish',
      'FinishAfterFailure',
      'Plan',
      'Slice',
    ]);
    // Each task invokes render directly (payloadResponseOnly): its Resource is render's ARN.
    for (const [name, task] of tasks) expect(JSON.stringify(task.Resource), name).toBe('"TOKEN"');
    for (const [name, task] of tasks) {
      const retry = task.Retry?.[0];
      expect(retry?.ErrorEquals, name).toEqual(
        expect.arrayContaining(['States.TaskFailed', 'States.Timeout']),
      );
      expect(retry?.MaxAttempts, name).toBe(REBUILD_FAN_OUT.sliceRetries);
      expect(retry?.BackoffRate, name).toBe(REBUILD_FAN_OUT.retryBackoffRate);
    }
    const map = Object.values(d.States).find((s) => s.Type === 'Map');
    const caught = d.States[map?.Catch?.[0]?.Next ?? ''];
    expect(map?.Catch?.[0]?.ErrorEquals).toEqual(['States.ALL']);
    expect(caught?.Parameters).toMatchObject({ command: 'rebuild-finish', failed: true });
    expect(d.States[caught?.Next ?? '']?.Type).toBe('Fail');
  });

  it('may invoke render and nothing else, besides writing its logs and traces (least privilege)', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    const roleId = (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      );
    const actions = statements.flatMap((st) => ([] as string[]).concat(st.Action));
    const invoke = statements.filter((st) =>
      ([] as string[]).concat(st.Action).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    const render = renderId();
    expect(invoke[0]?.Resource).toEqual([
      { 'Fn::GetAtt': [render, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [render, 'Arn'] }, ':*']] },
    ]);
    // Everything else is log delivery and X-Ray: no data access of its own.
    for (const action of actions.filter((a) => a !== 'lambda:InvokeFunction'))
      expect(action).toMatch(/^(logs|xray):/);
    // render itself may no longer invoke anything: no run re-invokes render in sequence.
    const renderFn = site.findResources('AWS::Lambda::Function')[render] as Resource | undefined;
    const renderRole = (renderFn?.Properties.Role as { 'Fn::GetAtt': [string, string] } | undefined)?.[
      'Fn::GetAtt'
    ][0];
    expect(renderRole).toBeDefined();
    const renderActions = resources('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(String(renderRole)))
      .flatMap(
        ([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      )
      .flatMap((st) => ([] as string[]).concat(st.Action));
    expect(renderActions).not.toContain('lambda:InvokeFunction');
    expect(renderActions).not.toContain('states:StartExecution');
  });

  it('logs every execution and traces it', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    expect(machine.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
    });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('alarms to the alarm topic when a run fails, times out or is aborted', () => {
    const [machineId] = only('AWS::StepFunctions::StateMachine');
    const [topic] = only('AWS::SNS::Topic');
    const alarm = resources('AWS::CloudWatch::Alarm').find(([, a]) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('ExecutionsFailed'),
    );
    expect(alarm).toBeDefined();
    const props = alarm?.[1].Properties ?? {};
    expect(props).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topic }],
    });
    const metrics = JSON.stringify(props.Metrics);
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])
      expect(metrics).toContain(name);
    expect(metrics).toContain(machineId);
  });
});

describe('what starts a rebuild run', () => {
  it('the deploy-time trigger starts the state machine, after it and render exist, with the deployment as input', () => {
    const [id, trigger] = only('Custom::RebuildAfterDeploy');
    const create = JSON.stringify(trigger.Properties.Create);
    expect(create).toContain('\\"service\\":\\"SFN\\"');
    expect(create).toContain('\\"action\\":\\"StartExecution\\"');
    const [machineId] = only('AWS::StepFunctions::StateMachine');
    expect(create).toContain(machineId);
    expect(JSON.stringify(trigger.Properties.Update)).toEqual(create);
    expect(built.site.rebuildAfterDeploy.event.deployment?.renderCode).toMatch(/^[0-9a-f]{64}\.zip$/);
    // First deploy: the run starts only once render, its grants, the state machine and its role exist.
    const dependsOn = trigger.DependsOn ?? [];
    expect(dependsOn).toContain(machineId);
    expect(dependsOn).toContain(renderId());
    const [machineRole] =
      resources('AWS::IAM::Role').find(([rid]) => rid.startsWith('RebuildFanOutStateMachineRole')) ?? [];
    expect(dependsOn).toContain(machineRole);
    // The trigger's function may start this state machine and do nothing else.
    const policy = resources('AWS::IAM::Policy').find(([pid]) =>
      pid.startsWith('RebuildAfterDeployTriggerCustomResourcePolicy'),
    );
    expect(policy?.[1].Properties.PolicyDocument).toMatchObject({
      Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } }],
    });
    expect(id).toBeDefined();
  });

  it('names the state machine in a stack output, which `npm run rebuild -- --stage` starts', () => {
    const [machineId] = only('AWS::StepFunctions::StateMachine');
    site.hasOutput('RebuildStateMachineArn', { Value: { Ref: machineId } });
  });
});

describe('cdk-nag', () => {
  it('reports nothing unacknowledged on the fan-out resources', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === undefined);
    const ours = errors.flatMap((v) =>
      v.violatingResources
        .filter((r) => /RebuildFanOut|RebuildAfterDeploy/.test(r.resourceLogicalId ?? ''))
        .map((r) => `${v.ruleName}: ${r.resourceLogicalId}`),
    );
    expect(ours).toEqual([]);
  });
});
