// Deployment settings from CDK context (`-c stage=prod -c domainName=…`), read once and checked.
import { Aws, Fn } from 'aws-cdk-lib';
import type { Node } from 'constructs';

export interface DeployConfig {
  readonly stage: string;
  /** Optional custom domain for CloudFront, with an ACM certificate in us-east-1. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /**
   * Cognito managed-login domain prefix, which is unique across all of AWS in a region. Absent, the stateful stack
   * uses `defaultLoginDomainPrefix`, which is unique per stack.
   */
  readonly loginDomainPrefix?: string;
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
  const given = node.tryGetContext('loginDomainPrefix') as string | undefined;
  const loginDomainPrefix = given === undefined ? undefined : String(given);
  if (loginDomainPrefix !== undefined)
    checkLoginDomainPrefix(loginDomainPrefix, 'Context "loginDomainPrefix"');
  // The default adds a suffix only known at deploy time; its fixed part must already be acceptable.
  else
    checkLoginDomainPrefix(
      `${DEFAULT_LOGIN_PREFIX}-${stage}-00000000`,
      `Stage "${stage}" (in the default login prefix)`,
    );
  return {
    stage,
    ...(loginDomainPrefix ? { loginDomainPrefix } : {}),
    ...(domainName && certificateArn ? { domain: { name: domainName, certificateArn } } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

/** Words Cognito refuses in a domain prefix. */
export const RESERVED_PREFIX_WORDS = ['aws', 'amazon', 'cognito'] as const;
const DEFAULT_LOGIN_PREFIX = 'newsroom-editors';

/** Throws unless `prefix` is one Cognito accepts: lower-case letters, digits and inner dashes, ≤ 63, no reserved word. */
export function checkLoginDomainPrefix(prefix: string, what: string): void {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(`${what} is not a valid Cognito domain prefix (got "${prefix}").`);
  }
  const reserved = RESERVED_PREFIX_WORDS.find((word) => prefix.includes(word));
  if (reserved) {
    throw new Error(
      `${what} contains "${reserved}", which Cognito refuses in a domain prefix (got "${prefix}"); set -c loginDomainPrefix=….`,
    );
  }
}

/**
 * `newsroom-editors-<stage>-<8 hex>`, the hex being the first group of the stack's own id (a UUID CloudFormation
 * assigns at creation, kept for the stack's life): unique per account, region and stack, so two accounts, or a
 * stack deleted and created again while the old domain lingers, never collide; hex cannot spell a reserved word.
 */
export function defaultLoginDomainPrefix(stage: string): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.join('-', [DEFAULT_LOGIN_PREFIX, stage, Fn.select(0, Fn.split('-', stackUuid))]);
}
