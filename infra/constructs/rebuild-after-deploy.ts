// The deploy-time trigger: once the functions, the distribution, the editors' app client and the rebuild state machine
// exist, it starts a rebuild run (rebuild-fan-out.ts), and starts one again on every deploy that changes the render
// code, the site config or what render writes into pages (site address, managed login). The run goes on after the
// deployment, fanned out over render invocations, so neither a large site nor a slow one holds up or fails it; the
// editorial pages (/submit/, /admin/, /admin/config.json, /404.html) lead every rebuild's first slice.
import { createHash } from 'node:crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import type { RebuildRequest } from '../../functions/render/commands.ts';
import { siteConfig } from '../../shared/site-config.ts';
import { acknowledge } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

/** The id CDK gives the one function behind all AwsCustomResources of a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface RebuildAfterDeployProps {
  readonly render: NewsFunction;
  /** The rebuild state machine the trigger starts. */
  readonly rebuild: StateMachine;
  /** What must exist before the first run: the distribution, the editors' app client, the HTTP API stage … */
  readonly after: readonly IDependable[];
}

/** The S3 key of a function's code asset: its content hash, so it changes exactly when the bundle does. */
function codeAssetKey(fn: NewsFunction): string {
  const code = (fn.fn.node.defaultChild as CfnFunction).code as CfnFunction.CodeProperty;
  if (typeof code.s3Key !== 'string') throw new Error('render: code asset key is not known at synth.');
  return code.s3Key;
}

/** Digest of the site config (channels, names, copyright): already inside the bundle, named here so a diff shows it. */
export const siteConfigDigest = (): string =>
  createHash('sha256').update(JSON.stringify(siteConfig)).digest('hex').slice(0, 16);

export class RebuildAfterDeploy extends Construct {
  readonly trigger: AwsCustomResource;
  /** The rebuild request the trigger starts a run with (tests read it). */
  readonly event: RebuildRequest;

  constructor(scope: Construct, id: string, props: RebuildAfterDeployProps) {
    super(scope, id);
    const fn = props.render.fn;
    const environment = (fn.node.defaultChild as CfnFunction).environment as
      | { variables?: Record<string, string> }
      | undefined;
    const pageInputs = environment?.variables ?? {};
    this.event = {
      deployment: {
        renderCode: codeAssetKey(props.render),
        siteConfig: siteConfigDigest(),
        // Written into pages and /admin/config.json: a new address or login re-renders them.
        ...(pageInputs.SITE_URL ? { siteUrl: pageInputs.SITE_URL } : {}),
        ...(pageInputs.EDITOR_LOGIN_DOMAIN ? { loginDomain: pageInputs.EDITOR_LOGIN_DOMAIN } : {}),
        ...(pageInputs.EDITOR_CLIENT_ID ? { loginClient: pageInputs.EDITOR_CLIENT_ID } : {}),
      },
    };
    // Asynchronous: the deployment ends once the run has started. A run that fails alarms (RebuildFanOut's
    // RunFailed), and `npm run smoke` checks the pages.
    const start = {
      service: 'SFN',
      action: 'StartExecution',
      parameters: {
        stateMachineArn: props.rebuild.stateMachineArn,
        input: Stack.of(this).toJsonString(this.event),
      },
      physicalResourceId: PhysicalResourceId.of('rebuild-after-deploy'),
      outputPaths: ['executionArn'],
    };
    this.trigger = new AwsCustomResource(this, 'Trigger', {
      resourceType: 'Custom::RebuildAfterDeploy',
      onCreate: start,
      onUpdate: start,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['states:StartExecution'],
          resources: [props.rebuild.stateMachineArn],
        }),
      ]),
      timeout: Duration.minutes(2),
      installLatestAwsSdk: false,
    });
    // The whole NewsFunction (the function, its role and policies, its log group) and the state machine with its role.
    this.trigger.node.addDependency(props.render, props.rebuild, ...props.after);

    // CDK's singleton function behind every AwsCustomResource of the stack: its code and role are CDK's.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON);
    if (provider) {
      acknowledge(provider, [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's AwsCustomResource function uses the basic execution role; it runs only during deployments.",
        },
      ]);
    }
  }
}
