// The secret CloudFront sends the HTTP API in a custom header, and the API functions check (shared/http/origin-guard.ts),
// so the execute-api endpoint answers 403 to anyone who calls it directly, around the WAF and the cache. The
// execute-api endpoint cannot simply be disabled: it is CloudFront's origin, and an API custom domain would need a
// certificate in the API's region and a DNS name of the newsroom's own.
import { SecretValue } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_SECRETS_ENV } from '../../shared/http/origin-guard.ts';
import type { DeployConfig } from '../config.ts';
import { acknowledge } from './nag.ts';
import type { NewsFunction } from './news-function.ts';

export class OriginSecret extends Construct {
  readonly secret: Secret;
  /** What CloudFront sends: a dynamic reference, resolved by CloudFormation at deploy time, never in the template. */
  readonly headerValue: string;
  private readonly accepted: string;

  constructor(scope: Construct, id: string, props: { readonly config: DeployConfig }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Header value CloudFront adds to /api/* requests; the API refuses requests without it',
      // Letters and digits only: the functions receive the accepted values comma-separated.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    const { version, previousVersion } = props.config.originSecret;
    const secretVersion = (versionId?: string) =>
      SecretValue.secretsManager(this.secret.secretArn, versionId ? { versionId } : {}).unsafeUnwrap();
    this.headerValue = secretVersion(version);
    this.accepted = previousVersion
      ? `${secretVersion(version)},${secretVersion(previousVersion)}`
      : secretVersion(version);
    acknowledge(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotated by the runbook in docs/DEPLOYING.md (new version, deploy with both, deploy with the new one): CloudFront reads the value from the template, so a rotation Lambda would leave the distribution behind.',
      },
    ]);
  }

  /** Makes `fn` refuse requests without the header (the value arrives in its environment, resolved at deploy). */
  guard(fn: NewsFunction): void {
    fn.fn.addEnvironment(ORIGIN_SECRETS_ENV, this.accepted);
  }
}
