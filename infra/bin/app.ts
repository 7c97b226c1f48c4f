// The CDK app: a stateful stack (data) and a stateless stack (compute and delivery), per stage.
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployConfig } from '../config.ts';
import { disabledGuardRules } from '../constructs/guard.ts';
import { EDGE_REGION, EdgeStack } from '../stacks/edge-stack.ts';
import { StatefulStack } from '../stacks/stateful-stack.ts';
import { StatelessStack } from '../stacks/stateless-stack.ts';

export function buildApp(app: App = new App()): {
  app: App;
  data: StatefulStack;
  site: StatelessStack;
  edge?: EdgeStack;
} {
  const config = readDeployConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new StatefulStack(app, `Newsroom-${config.stage}-Data`, {
    env,
    config,
    description: 'Newsroom pipeline: tables, site bucket, editor user pool (retained)',
    terminationProtection: config.stage === 'prod',
  });
  // CloudFront's WAF lives in us-east-1 whatever the site's region: its own stack, deployed first.
  const edge = config.waf
    ? new EdgeStack(app, `Newsroom-${config.stage}-Edge`, {
        env: { account: env.account, region: EDGE_REGION },
        stage: config.stage,
        description: 'Newsroom pipeline: the WAF WebACL in front of CloudFront (us-east-1)',
      })
    : undefined;
  const site = new StatelessStack(app, `Newsroom-${config.stage}-Site`, {
    env,
    config,
    dataStack: data,
    ...(edge ? { edgeStack: edge } : {}),
    description: 'Newsroom pipeline: functions, HTTP API, CloudFront',
  });
  Tags.of(app).add('project', 'newsroom-pipeline');
  Tags.of(app).add('stage', config.stage);
  // Two checkers at synth, both offline: cdk-nag's AwsSolutions pack and AWS Control Tower's proactive controls run by
  // cfn-guard (binaries and rules ship in the npm package). A finding either is fixed or is acknowledged on its
  // construct with a reason; SECURITY.md lists them.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new CfnGuardValidator({ disabledRules: Object.keys(disabledGuardRules) }),
  );
  return { app, data, site, ...(edge ? { edge } : {}) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
