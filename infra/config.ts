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
  /** A WAF WebACL in front of CloudFront (the Edge stack, in us-east-1). Context `waf`; on by default for prod. */
  readonly waf: boolean;
  /**
   * The origin secret's Secrets Manager version CloudFront sends (context `originSecretVersion`), and the one the API
   * still accepts while CloudFront's edges change over (`originSecretPreviousVersion`). Absent: the current version.
   * docs/DEPLOYING.md has the rotation runbook.
   */
  readonly originSecret: { readonly version?: string; readonly previousVersion?: string };
}

/** Editors' token lifetimes: the longest a disabled editor keeps access (ID and access tokens), in minutes. */
export const editorSession = { tokenMinutes: 15, refreshTokenMinutes: 60 } as const;

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
  const waf = readFlag(node.tryGetContext('waf'), stage === 'prod');
  const version = optionalVersionId(node.tryGetContext('originSecretVersion'), 'originSecretVersion');
  const previousVersion = optionalVersionId(
    node.tryGetContext('originSecretPreviousVersion'),
    'originSecretPreviousVersion',
  );
  if (previousVersion && !version)
    throw new Error(
      'Context "originSecretPreviousVersion" needs "originSecretVersion" (the new version) too.',
    );
  return {
    stage,
    waf,
    originSecret: { ...(version ? { version } : {}), ...(previousVersion ? { previousVersion } : {}) },
    ...(loginDomainPrefix ? { loginDomainPrefix } : {}),
    ...(domainName && certificateArn ? { domain: { name: domainName, certificateArn } } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

/** A boolean context value: `-c waf=false` arrives as the string "false". */
function readFlag(value: unknown, byDefault: boolean): boolean {
  if (value === undefined) return byDefault;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "waf" must be true or false (got "${String(value)}").`);
}

/** A Secrets Manager version id is a UUID. */
function optionalVersionId(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const id = String(value);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new Error(`Context "${name}" must be a Secrets Manager version id (a UUID; got "${id}").`);
  return id;
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
