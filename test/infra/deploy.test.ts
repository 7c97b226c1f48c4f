// What a first deploy into an empty account, and every later one, needs from the templates: dependencies that
// CloudFormation can see for every reference by name or key, the deploy-time rebuild, alarms on every function, a
// login domain prefix unique per stack, and both policy checkers at synth.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { checkLoginDomainPrefix, readDeployConfig } from '#infra/config.ts';
import { ASYNC_RETRY_ATTEMPTS } from '#infra/constructs/alarms.ts';
import { projectRoot } from '#infra/constructs/bundling.ts';
import { dataRefNames, dataRefParameter } from '#infra/constructs/data-refs.ts';
import { CFN_GUARD_PLUGIN, disabledGuardRules, guardReasons } from '#infra/constructs/guard.ts';
import { IMAGES_RESERVED_CONCURRENCY } from '#infra/constructs/uploads.ts';
import { routeThrottles } from '#shared/routes.ts';

let app: App;
let built: ReturnType<typeof buildApp>;
let data: Template;
let site: Template;

beforeAll(() => {
  // No function is bundled (CDK's `aws:cdk:bundling-stacks`: none): these assertions read templates only, and each
  // asset still gets a content hash of its source.
  app = new App({ context: { stage: 'test', 'aws:cdk:bundling-stacks': [] } });
  built = buildApp(app);
  data = Template.fromStack(built.data);
  site = Template.fromStack(built.site);
}, 600_000);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.findResources(type)) as [string, Resource][];
const only = (t: Template, type: string): [string, Resource] => {
  const found = resources(t, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const functionNamed = (name: string): [string, Resource] => {
  const found = resources(site, 'AWS::Lambda::Function').find(
    ([, f]) =>
      (f.Properties.Environment as { Variables?: Record<string, string> })?.Variables?.SERVICE_NAME === name,
  );
  expect(found, name).toBeDefined();
  return found as [string, Resource];
};

describe('dependencies CloudFormation can see', () => {
  it('creates the API stage after exactly the routes its RouteSettings name', () => {
    const [, stage] = only(site, 'AWS::ApiGatewayV2::Stage');
    const named = Object.keys(stage.Properties.RouteSettings as object).sort();
    expect(named).toEqual(Object.keys(routeThrottles).sort());
    const routes = resources(site, 'AWS::ApiGatewayV2::Route');
    for (const key of named) {
      const route = routes.find(([, r]) => r.Properties.RouteKey === key);
      expect(route, key).toBeDefined();
      expect(stage.DependsOn ?? [], key).toContain(route?.[0]);
    }
    // No other route: the stage must not wait for the whole API.
    const otherRoutes = routes.filter(([, r]) => !named.includes(String(r.Properties.RouteKey)));
    for (const [id] of otherRoutes) expect(stage.DependsOn ?? []).not.toContain(id);
  });

  it('creates the bucket notification after the permission that lets S3 invoke images', () => {
    const [, notification] = only(site, 'Custom::S3BucketNotifications');
    const [permission] =
      resources(site, 'AWS::Lambda::Permission').find(
        ([, p]) => p.Properties.Principal === 's3.amazonaws.com',
      ) ?? [];
    expect(permission).toBeDefined();
    expect(notification.DependsOn).toContain(permission);
  });

  it("creates the stream's event source mapping after render's policy (stream read and DLQ send)", () => {
    const [, mapping] = only(site, 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties.FunctionName).toEqual({ Ref: functionNamed('render')[0] });
    const [renderPolicy] =
      resources(site, 'AWS::IAM::Policy').find(([id]) => id.startsWith('RenderRoleDefaultPolicy')) ?? [];
    expect(renderPolicy).toBeDefined();
    const [renderFn] = functionNamed('render');
    // The mapping names the function by Ref; the function waits for its role's default policy.
    const fn = site.findResources('AWS::Lambda::Function')[renderFn];
    expect(fn?.DependsOn).toContain(renderPolicy);
  });

  it("writes each function's logs to its own log group, named by reference, not by a string", () => {
    for (const name of ['submit', 'review', 'views', 'uploads', 'images', 'render']) {
      const [, fn] = functionNamed(name);
      expect((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup).toEqual({
        Ref: expect.any(String),
      });
    }
    const [, stage] = only(site, 'AWS::ApiGatewayV2::Stage');
    expect((stage.Properties.AccessLogSettings as { DestinationArn: unknown }).DestinationArn).toEqual({
      'Fn::GetAtt': [expect.any(String), 'Arn'],
    });
  });
});

describe('cross-stack references that survive replacing a table, a stream or a bucket', () => {
  it('has no CloudFormation export in the Data stack and no Fn::ImportValue in the Site stack', () => {
    for (const output of Object.values((data.toJSON().Outputs ?? {}) as Record<string, { Export?: unknown }>))
      expect(output.Export).toBeUndefined();
    expect(JSON.stringify(site.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('reads every Data value from an SSM parameter the Data stack writes, and deploys after it', () => {
    const written = resources(data, 'AWS::SSM::Parameter').map(([, p]) => String(p.Properties.Name));
    expect(written.sort()).toEqual(dataRefNames.map((n) => dataRefParameter('test', n)).sort());
    const parameters = Object.values(
      site.toJSON().Parameters as Record<string, { Type: string; Default?: string }>,
    )
      .filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default?.startsWith('/newsroom/'))
      .map((p) => p.Default);
    expect(parameters.sort()).toEqual(written.sort());
    // The stream the render function consumes comes from the parameter, so a new stream needs only a Site deploy.
    const [, mapping] = only(site, 'AWS::Lambda::EventSourceMapping');
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(
      /^\{"Ref":"SsmParameterValue.*ArticlesStreamArn/,
    );
    expect(built.site.dependencies).toContain(built.data);
  });
});

describe('the site is complete after cdk deploy', () => {
  const trigger = () => only(site, 'Custom::RebuildAfterDeploy');
  const sdkCall = (which: 'Create' | 'Update') => {
    const call = trigger()[1].Properties[which] as unknown;
    // AwsCustomResource passes its call as a JSON string with tokens joined in.
    return JSON.stringify(call);
  };

  it('starts a run of the rebuild state machine, the same call on create and on update', () => {
    const create = sdkCall('Create');
    expect(create).toContain('\\"service\\":\\"SFN\\"');
    expect(create).toContain('\\"action\\":\\"StartExecution\\"');
    expect(built.site.rebuildAfterDeploy.event).toEqual({ deployment: expect.any(Object) });
    expect(sdkCall('Update')).toEqual(create);
  });

  it('runs after the render function, the state machine, the distribution, the editor app client and the API', () => {
    const [, custom] = trigger();
    const dependsOn = custom.DependsOn ?? [];
    const [renderFn] = functionNamed('render');
    const [distribution] = only(site, 'AWS::CloudFront::Distribution');
    const [client] = only(site, 'AWS::Cognito::UserPoolClient');
    const [stage] = only(site, 'AWS::ApiGatewayV2::Stage');
    const [machine] = only(site, 'AWS::StepFunctions::StateMachine');
    for (const id of [renderFn, distribution, client, stage, machine]) expect(dependsOn).toContain(id);
  });

  it('re-runs when the render bundle (and so the site config inside it) changes: its event carries the code hash', () => {
    const [, render] = functionNamed('render');
    const key = (render.Properties.Code as { S3Key: string }).S3Key;
    expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(built.site.rebuildAfterDeploy.event.deployment?.renderCode).toBe(key);
    expect(sdkCall('Create')).toContain(key);
    expect(built.site.rebuildAfterDeploy.event.deployment?.siteConfig).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('alarms and failure destinations', () => {
  it('alarms on errors of every function, to the alarm topic', () => {
    const alarms = resources(site, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'Errors',
    );
    const [topic] = only(site, 'AWS::SNS::Topic');
    const alarmed = alarms.map(([, a]) => {
      const dimension = (a.Properties.Dimensions as { Name: string; Value: { Ref: string } }[])[0];
      expect(dimension?.Name).toBe('FunctionName');
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      return dimension?.Value.Ref;
    });
    // Every functions/*/handler.ts is a function of the stack.
    const names = readdirSync(path.join(projectRoot, 'functions'));
    expect(names).toContain('search');
    const ours = names.map((n) => functionNamed(n)[0]);
    expect(alarmed.sort()).toEqual(ours.sort());
  });

  it('reserves concurrency for images, so a flood of uploads cannot starve the other functions', () => {
    const [, images] = functionNamed('images');
    expect(images?.Properties.ReservedConcurrentExecutions).toBe(IMAGES_RESERVED_CONCURRENCY);
    expect(IMAGES_RESERVED_CONCURRENCY).toBeGreaterThan(0);
    expect(IMAGES_RESERVED_CONCURRENCY).toBeLessThanOrEqual(10);
  });

  it('sends failed asynchronous invocations of images (S3 events) and render to a queue that alarms', () => {
    const configs = resources(site, 'AWS::Lambda::EventInvokeConfig');
    const byFunction = new Map(
      configs.map(([, c]) => [(c.Properties.FunctionName as { Ref: string }).Ref, c]),
    );
    for (const name of ['images', 'render']) {
      const config = byFunction.get(functionNamed(name)[0]);
      expect(config?.Properties.MaximumRetryAttempts, name).toBe(ASYNC_RETRY_ATTEMPTS);
      expect(JSON.stringify(config?.Properties.DestinationConfig), name).toMatch(
        /OnFailure.*FailedInvocations.*Arn/,
      );
    }
    site.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedInvocations'), 'QueueName'] },
        },
      ],
      AlarmActions: [Match.anyValue()],
    });
  });
});

describe('Cognito login domain prefix', () => {
  it('defaults to newsroom-editors-<stage>-<first group of the stack id>, unique per stack', () => {
    const [, domain] = only(data, 'AWS::Cognito::UserPoolDomain');
    const prefix = JSON.stringify(domain.Properties.Domain);
    expect(prefix).toMatch(/newsroom-editors.*test/);
    expect(prefix).not.toMatch(/aws(?!::)|amazon|cognito/i);
    expect(prefix).toContain('AWS::StackId');
  });

  it('refuses the words Cognito refuses, in a given prefix or through the stage', () => {
    for (const word of ['aws', 'amazon', 'cognito'])
      expect(() => checkLoginDomainPrefix(`news-${word}-login`, 'prefix')).toThrow(new RegExp(`"${word}"`));
    expect(() => checkLoginDomainPrefix('Newsroom', 'prefix')).toThrow(/not a valid/);
    expect(() => checkLoginDomainPrefix('newsroom-login', 'prefix')).not.toThrow();
    const configOf = (context: Record<string, string>) => readDeployConfig(new App({ context }).node);
    expect(() => configOf({ stage: 'aws-test' })).toThrow(/"aws"/);
    expect(configOf({ stage: 'prod', loginDomainPrefix: 'my-newsroom' }).loginDomainPrefix).toBe(
      'my-newsroom',
    );
    expect(() => configOf({ stage: 'prod', loginDomainPrefix: 'my-cognito' })).toThrow(/"cognito"/);
  });
});

describe('AWS Control Tower rules (cfn-guard) next to cdk-nag', () => {
  it('runs both plugins at synth, with no unacknowledged finding, and writes the report', {
    timeout: 300_000,
  }, () => {
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const plugins = report.pluginReports.map((r) => r.pluginName);
    // cdk-nag's own report is left out when it is clean; test/infra/stacks.test.ts runs its checks directly.
    expect(plugins).toContain(CFN_GUARD_PLUGIN);
    const guard = report.pluginReports.find((r) => r.pluginName === CFN_GUARD_PLUGIN);
    expect(guard?.violations).toEqual([]);
    expect(guard?.conclusion).toBe('success');
  });

  it('asserts what the two rule files left out check: callers named by SourceArn, CloudFront logging on', () => {
    expect(Object.keys(disabledGuardRules).sort()).toEqual(['ct-cloudfront-pr-5', 'ct-lambda-pr-2']);
    const permissions = resources(site, 'AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThan(0);
    for (const [id, permission] of permissions) {
      expect(permission.Properties.SourceArn, id).toBeDefined();
      if (permission.Properties.Principal === 's3.amazonaws.com')
        expect(permission.Properties.SourceAccount, id).toEqual({ Ref: 'AWS::AccountId' });
    }
    const [, distribution] = only(site, 'AWS::CloudFront::Distribution');
    const logging = (
      distribution.Properties.DistributionConfig as { Logging?: { Bucket: unknown; Prefix: string } }
    ).Logging;
    expect(JSON.stringify(logging?.Bucket)).toContain('LogsRegionalDomainName');
    expect(logging?.Prefix).toBe('cloudfront/');
  });

  it('acknowledges only rules that have a written reason', () => {
    const acknowledged = new Set<string>();
    for (const construct of app.node.findAll())
      for (const entry of construct.node.metadata)
        if (entry.type === 'aws:cdk:acknowledged-rules')
          for (const id of Object.keys(entry.data as Record<string, string>))
            if (id.startsWith(`${CFN_GUARD_PLUGIN}::`))
              acknowledged.add(id.slice(CFN_GUARD_PLUGIN.length + 2));
    expect([...acknowledged].sort()).toEqual(Object.keys(guardReasons).sort());
  });
});
