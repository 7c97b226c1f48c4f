// What CloudFront needs from us-east-1, whatever region the site runs in: the WAF WebACL (scope CLOUDFRONT exists
// only there). The Site stack reads its ARN with Fn::GetStackOutput, a cross-region reference that needs no export
// and no custom resource, so the Site stack can stay region-agnostic.
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeFirewall } from '../constructs/waf.ts';

/** The region every CloudFront-scoped WAF WebACL lives in. */
export const EDGE_REGION = 'us-east-1';
/** The Edge stack's output that the Site stack reads. */
export const WEB_ACL_ARN_OUTPUT = 'WebAclArn';

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
}

export class EdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    if (this.region !== EDGE_REGION)
      throw new Error(
        `The Edge stack must be in ${EDGE_REGION} (got ${this.region}): CloudFront's WAF lives there.`,
      );
    this.firewall = new EdgeFirewall(this, 'Firewall', { stage: props.stage });
    const output = new CfnOutput(this, WEB_ACL_ARN_OUTPUT, { value: this.firewall.webAcl.attrArn });
    output.overrideLogicalId(WEB_ACL_ARN_OUTPUT);
  }

  /**
   * The WebACL's ARN as another stack (in any region) reads it: Fn::GetStackOutput, resolved by CloudFormation when
   * that stack is deployed. The consumer is deployed after this stack.
   */
  webAclArnFor(consumer: Stack): string {
    consumer.addStackDependency(this, 'the WAF WebACL that CloudFront uses');
    return Fn.getStackOutput(this.stackName, WEB_ACL_ARN_OUTPUT, EDGE_REGION);
  }
}
