// Deployment settings from CDK context (`-c stage=prod -c domainName=…`), read once and checked.
import type { Node } from 'constructs';

export interface DeployConfig {
  readonly stage: string;
  /** Optional custom domain for CloudFront, with an ACM certificate in us-east-1. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** Cognito managed-login domain prefix; globally unique, so operators may set their own. */
  readonly loginDomainPrefix: string;
  /** Optional address that receives alarm notifications. */
  readonly alarmEmail?: string;
}

export function readDeployConfig(node: Node): DeployConfig {
  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`Context "stage" must be lower-case letters, digits and dashes (got "${stage}").`);
  }
  const domainName = node.tryGetContext('domainName') as string | undefined;
  const certificateArn = node.tryGetContext('certificateArn') as string | undefined;
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error('Context "domainName" and "certificateArn" go together: set both or neither.');
  }
  const alarmEmail = node.tryGetContext('alarmEmail') as string | undefined;
  const loginDomainPrefix = String(node.tryGetContext('loginDomainPrefix') ?? `newsroom-editors-${stage}`);
  if (
    !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(loginDomainPrefix) ||
    loginDomainPrefix.includes('cognito')
  ) {
    throw new Error(
      `Context "loginDomainPrefix" is not a valid Cognito domain prefix (got "${loginDomainPrefix}").`,
    );
  }
  return {
    stage,
    loginDomainPrefix,
    ...(domainName && certificateArn ? { domain: { name: domainName, certificateArn } } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
