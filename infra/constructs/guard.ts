// AWS Control Tower's proactive controls, run by cfn-guard (@cdklabs/cdk-validator-cfnguard) at synth next to
// cdk-nag. Every rule that fires and is not fixed is acknowledged here, on the narrowest construct, with its reason;
// SECURITY.md ("cfn-guard") lists the same.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The plugin's name, which prefixes its rule ids in acknowledgements. */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/**
 * Rule files not run, by file name. Both check that a reference names a resource of the same template; given a
 * `Ref` to a template parameter (the Data stack's values arrive as SSM parameters, infra/constructs/data-refs.ts) the
 * plugin 0.0.62 crashes on their result ("Cannot read properties of undefined (reading 'to')") instead of reporting.
 * Both had only fired as false positives before (every Lambda permission names its caller by SourceArn; CloudFront
 * logging is on). What they check is asserted in test/infra instead.
 */
export const disabledGuardRules: Readonly<Record<string, string>> = {
  'ct-lambda-pr-2':
    'lambda_function_public_access_prohibited_check (CT.LAMBDA.PR.2): every permission names its caller by SourceArn; asserted in test/infra/deploy.test.ts.',
  'ct-cloudfront-pr-5':
    'cloudfront_access_logs_enabled_check (CT.CLOUDFRONT.PR.5): standard logging to the log bucket is on; asserted in test/infra/deploy.test.ts.',
};

export type GuardRule =
  | 'lambda_inside_vpc_check'
  | 'cloudwatch_log_group_encrypted_check'
  | 'cloudwatch_log_group_retention_period_check'
  | 's3_bucket_default_encryption_kms_check'
  | 's3_bucket_object_lock_enabled_check'
  | 's3_event_notifications_enabled_check'
  | 's3_bucket_logging_enabled_check'
  | 's3_bucket_acl_prohibited_check'
  | 'api_gw_v2_authorization_type_configured_check'
  | 'cloudfront_origin_failover_enabled_check'
  | 'cloudfront_custom_ssl_certificate_check'
  | 'cloudfront_sni_enabled_check'
  | 'cloudfront_security_policy_check'
  | 'sqs_dlq_check';

/** Why each rule left unfixed does not apply here. One reason per rule, so the code and SECURITY.md agree. */
export const guardReasons: Record<GuardRule, string> = {
  lambda_inside_vpc_check:
    'The functions reach only AWS APIs (DynamoDB, S3, CloudFront, Lambda) with IAM; a VPC would add NAT or endpoint costs and cold-start latency and protect nothing.',
  cloudwatch_log_group_encrypted_check:
    'CloudWatch Logs encrypts every log group at rest with AWS-owned keys; a customer KMS key would add a key policy and cost for no reader we need to keep out.',
  cloudwatch_log_group_retention_period_check:
    'Logs are kept one month on purpose: access logs hold client IP addresses and keeping them a year is not needed to run the site (data minimisation).',
  s3_bucket_default_encryption_kms_check:
    'SSE-S3 encrypts at rest; SSE-KMS would make every CloudFront (OAC) read and every render write a KMS call, with a key policy for CloudFront and log delivery, for public pages.',
  s3_bucket_object_lock_enabled_check:
    'Pages are rewritten and deleted by render, quarantined uploads expire after 7 days and logs after 90: object lock would forbid exactly that. Versioning keeps old page versions 30 days.',
  s3_event_notifications_enabled_check:
    "The uploads bucket's notification to the images function is set by CDK's notifications custom resource from the Site stack, which the rule cannot see; the site and log buckets have no consumer.",
  s3_bucket_logging_enabled_check: 'This is the access-log bucket itself; logging it would recurse.',
  s3_bucket_acl_prohibited_check:
    'CloudFront standard logging writes with ACLs, so the log bucket keeps BUCKET_OWNER_PREFERRED; all other buckets are BUCKET_OWNER_ENFORCED and public access is blocked on all.',
  api_gw_v2_authorization_type_configured_check:
    'The public routes (submissions, uploads, view counts) are anonymous by design and throttled per route and stage; every /api/admin/* route has the Cognito JWT authorizer.',
  cloudfront_origin_failover_enabled_check:
    'One site bucket in one region; an origin group needs a replicated second bucket and only fails over GET/HEAD. CloudFront keeps serving cached pages if S3 is impaired.',
  cloudfront_custom_ssl_certificate_check:
    "Without -c domainName the site uses CloudFront's own domain and certificate; with a custom domain the ACM certificate is used.",
  cloudfront_sni_enabled_check:
    "Without -c domainName there is no custom certificate to serve by SNI; with one, CDK's default is SNI.",
  cloudfront_security_policy_check:
    "Without -c domainName CloudFront's default certificate fixes the TLS policy; with a custom domain it is TLSv1.2_2021.",
  sqs_dlq_check:
    'This queue is itself a dead-letter or failure destination; a queue behind it would only move the problem.',
};

export function acknowledgeGuard(scope: IConstruct, rules: readonly GuardRule[]): void {
  for (const rule of rules)
    Validations.of(scope).acknowledge({ id: `${CFN_GUARD_PLUGIN}::${rule}`, reason: guardReasons[rule] });
}
