// The deploy-time trigger: once the functions, the distribution and the editors' app client exist, it sends render
// `{"command":"rebuild","untilDone":true}`, and sends it again on every deploy that changes the render code, the
// site config or what render writes into pages (site address, managed login). Its run writes the editorial pages
// first (/submit/, /admin/, /admin/config.json, /404.html lead every rebuild); an unfinished rebuild goes on in new
// runs of render itself, so neither a large site nor a slow one holds up or fails the deployment.
import { createHash } from 'node:crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import type { ContinuingRebuild } from '../../functions/render/rebuild-command.ts';
import { siteConfig } from '../../shared/site-config.ts';
import { acknowledge } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

/** The id CDK gives the one function behind all AwsCustomResources of a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface RebuildAfterDeployProps {
  readonly render: NewsFunction;
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
  /** The rebuild event the trigger sends (tests read it). */
  readonly event: ContinuingRebuild;
  /** render's right to invoke itself, for the runs after the first. */
  readonly selfInvoke: Policy;

  constructor(scope: Construct, id: string, props: RebuildAfterDeployProps) {
    super(scope, id);
    const fn = props.render.fn;
    // A policy of its own rather than the role's default one: the function waits for its default policy, so an
    // ARN of the function in there would be a cycle. The trigger waits for this one instead.
    this.selfInvoke = new Policy(this, 'RenderContinues', {
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['lambda:InvokeFunction'],
          resources: [fn.functionArn],
        }),
      ],
    });
    if (fn.role) this.selfInvoke.attachToRole(fn.role);

    const environment = (fn.node.defaultChild as CfnFunction).environment as
      | { variables?: Record<string, string> }
      | undefined;
    const pageInputs = environment?.variables ?? {};
    this.event = {
      command: 'rebuild',
      untilDone: true,
      run: 1,
      deployment: {
        renderCode: codeAssetKey(props.render),
        siteConfig: siteConfigDigest(),
        // Written into pages and /admin/config.json: a new address or login re-renders them.
        ...(pageInputs.SITE_URL ? { siteUrl: pageInputs.SITE_URL } : {}),
        ...(pageInputs.EDITOR_LOGIN_DOMAIN ? { loginDomain: pageInputs.EDITOR_LOGIN_DOMAIN } : {}),
        ...(pageInputs.EDITOR_CLIENT_ID ? { loginClient: pageInputs.EDITOR_CLIENT_ID } : {}),
      },
    };
    // Synchronous, so the deployment ends after the run that wrote the editorial pages; at most render's 5 minutes.
    // The trigger does not fail the deployment when render reports an error (Lambda answers 200 with FunctionError):
    // render's errors alarm and `npm run smoke` catch that instead.
    const invoke = {
      service: 'Lambda',
      action: 'Invoke',
      parameters: {
        FunctionName: fn.functionName,
        InvocationType: 'RequestResponse',
        Payload: Stack.of(this).toJsonString(this.event),
      },
      physicalResourceId: PhysicalResourceId.of('rebuild-after-deploy'),
      outputPaths: ['StatusCode'],
    };
    this.trigger = new AwsCustomResource(this, 'Trigger', {
      resourceType: 'Custom::RebuildAfterDeploy',
      onCreate: invoke,
      onUpdate: invoke,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['lambda:InvokeFunction'],
          resources: [fn.functionArn],
        }),
      ]),
      timeout: Duration.seconds(fn.timeout ? fn.timeout.toSeconds() + 60 : 360),
      installLatestAwsSdk: false,
    });
    // The whole NewsFunction: the function, its role and policies, and its log group.
    this.trigger.node.addDependency(props.render, this.selfInvoke, ...props.after);

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
