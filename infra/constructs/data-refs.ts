// How the Site stack finds the Data stack's resources: SSM parameters, not CloudFormation exports. An export in use
// cannot change ("Export … cannot be updated as it is in use"), so with exports the Data stack could never replace
// a table, its stream or a bucket. A parameter can: the Data stack writes the new value, and the Site stack reads
// it again at its next deploy (CDK never skips deploying a stack with SSM parameters). docs/DEPLOYING.md says why
// this and not weak references or two-phase exports.
import { Aws, Fn } from 'aws-cdk-lib';
import { type IUserPool, UserPool } from 'aws-cdk-lib/aws-cognito';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/** Every value the Site stack reads from the Data stack, named `<resource>.<attribute>`. */
export const dataRefNames = [
  'Articles.Arn',
  'Articles.StreamArn',
  'Counters.Arn',
  'History.Arn',
  'Site.Name',
  'Site.Arn',
  'Site.RegionalDomainName',
  'Uploads.Name',
  'Uploads.Arn',
  'Uploads.RegionalDomainName',
  'Logs.RegionalDomainName',
  'Editors.Arn',
  'Editors.LoginDomain',
] as const;
export type DataRefName = (typeof dataRefNames)[number];

/** The parameter's name: one namespace per stage, so stages in one account never read each other's. */
export const dataRefParameter = (stage: string, name: DataRefName): string =>
  `/newsroom/${stage}/data/${name}`;

export interface DataResources {
  readonly articles: ITable;
  readonly counters: ITable;
  /** Revisions and the audit trail (no stream). */
  readonly history: ITable;
  readonly siteBucket: IBucket;
  readonly uploadsBucket: IBucket;
  readonly logBucket: IBucket;
  readonly userPool: IUserPool;
  /** The editors' managed login, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly loginUrl: string;
}

/** Written by the Data stack. */
export function publishDataRefs(scope: Construct, stage: string, values: Record<DataRefName, string>): void {
  for (const name of dataRefNames) {
    new StringParameter(scope, `Ref${name.replace('.', '')}`, {
      parameterName: dataRefParameter(stage, name),
      stringValue: values[name],
      description: `Newsroom ${stage}: ${name}, read by the Site stack at each deploy`,
    });
  }
}

/**
 * Read by the Site stack: references resolved by CloudFormation from SSM when the stack is deployed. A table is
 * imported by its ARN (CDK takes the name from it), so a replaced table is one new value.
 */
export function importDataRefs(scope: Construct, stage: string): DataResources {
  const read = (name: DataRefName) =>
    StringParameter.valueForStringParameter(scope, dataRefParameter(stage, name));
  const bucket = (id: 'Site' | 'Uploads') =>
    Bucket.fromBucketAttributes(scope, `${id}Bucket`, {
      bucketName: read(`${id}.Name`),
      bucketArn: read(`${id}.Arn`),
      bucketRegionalDomainName: read(`${id}.RegionalDomainName`),
      region: Aws.REGION,
    });
  return {
    articles: Table.fromTableAttributes(scope, 'Articles', {
      tableArn: read('Articles.Arn'),
      tableStreamArn: read('Articles.StreamArn'),
    }),
    counters: Table.fromTableAttributes(scope, 'Counters', {
      tableArn: read('Counters.Arn'),
    }),
    history: Table.fromTableAttributes(scope, 'History', {
      tableArn: read('History.Arn'),
    }),
    siteBucket: bucket('Site'),
    uploadsBucket: bucket('Uploads'),
    // CloudFront logging needs only the log bucket's regional domain name, `<name>.s3.<region>.amazonaws.com`.
    logBucket: Bucket.fromBucketAttributes(scope, 'LogsBucket', {
      bucketName: Fn.select(0, Fn.split('.s3.', read('Logs.RegionalDomainName'))),
      bucketRegionalDomainName: read('Logs.RegionalDomainName'),
      region: Aws.REGION,
    }),
    userPool: UserPool.fromUserPoolArn(scope, 'Editors', read('Editors.Arn')),
    // As UserPoolDomain.baseUrl() spells it; the prefix is the one value that can change.
    loginUrl: `https://${read('Editors.LoginDomain')}.auth.${Aws.REGION}.amazoncognito.com`,
  };
}
