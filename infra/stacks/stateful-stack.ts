// Everything that holds data and must outlive a redeploy: tables, the site bucket, the editors' user pool.

import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  Mfa,
  UserPool,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CHIEF_EDITORS_GROUP, EDITORS_GROUP } from '../../shared/domain/roles.ts';
import { PRIVATE_PHOTO_DAYS, PRIVATE_PHOTOS_PREFIX, QUARANTINE_PREFIX } from '../../shared/domain/uploads.ts';
import { STATE_PREFIX } from '../../shared/site-paths.ts';
import { articlesTable, countersTable, historyTable } from '../../shared/tables.ts';
import { type DeployConfig, defaultLoginDomainPrefix } from '../config.ts';
import { publishDataRefs } from '../constructs/data-refs.ts';
import { acknowledgeGuard } from '../constructs/guard.ts';
import { acknowledge } from '../constructs/nag.ts';
import { tableFromSchema } from '../constructs/tables.ts';

export interface StatefulStackProps extends StackProps {
  readonly config: DeployConfig;
}

export class StatefulStack extends Stack {
  readonly articles: Table;
  readonly counters: Table;
  readonly history: Table;
  readonly siteBucket: Bucket;
  readonly uploadsBucket: Bucket;
  readonly logBucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.articles = tableFromSchema(this, articlesTable);
    this.counters = tableFromSchema(this, countersTable);
    this.history = tableFromSchema(this, historyTable);

    // Access logs for the site bucket and CloudFront. CloudFront standard logging needs ACLs on its target bucket.
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // Versioned (cfn-guard CT.S3.PR.11), so a log file overwritten or deleted by mistake can be recovered for a day.
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.siteBucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      // Re-renders overwrite pages; old versions are only kept long enough to roll back a bad template.
      // Processed photos wait in private state until an article that shows them is published (render copies them to
      // media/); those that no submission uses expire, and their old versions a day later.
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        {
          prefix: PRIVATE_PHOTOS_PREFIX,
          expiration: Duration.days(PRIVATE_PHOTO_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudFront reads through Origin Access Control. The distribution lives in the stateless stack; naming its ARN
    // here would make the two stacks depend on each other, so the grant names this account's distributions instead.
    this.siteBucket.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.siteBucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': this.account },
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );

    // Render's own state (rankings, the rebuild manifest, photo waits) is never served, whatever spelling a request
    // uses: the directory-index function refuses it, and this explicit deny holds even if the function did not.
    // Render's role is not CloudFront's principal, so render still reads and writes it.
    this.siteBucket.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.siteBucket.arnForObjects(`${STATE_PREFIX}*`)],
      }),
    );

    // Contributors' photos before processing. Nothing reads this bucket but the images function (CloudFront has no
    // origin for it), so nothing in quarantine is ever served; processed copies go to the site bucket's media/.
    this.uploadsBucket = new Bucket(this, 'Uploads', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'uploads-bucket/',
      // The 投稿 page and the editor desk POST the presigned form straight to this bucket's regional endpoint, so S3's
      // own answer (expired form, too large, wrong type: 403/400 with XML) reaches the page; through CloudFront the
      // distribution-wide 403 → /404.html mapping would replace it. CORS only lets pages read that answer: the POST
      // itself is authorised by its signed policy (one key, one type, a size range, 5 minutes), whatever the origin.
      cors: [{ allowedMethods: [HttpMethods.POST], allowedOrigins: ['*'], maxAge: 3000 }],
      // Originals are only needed until processed; rejected files should not linger either.
      lifecycleRules: [
        {
          prefix: QUARANTINE_PREFIX,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.userPool = new UserPool(this, 'Editors', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: { preferredUsername: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The desk's roles: review reads the `cognito:groups` claim (shared/domain/roles.ts).
    new CfnUserPoolGroup(this, 'EditorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: EDITORS_GROUP,
      description: 'Edit, approve (初审), publish with single sign-off, reject and unpublish',
    });
    new CfnUserPoolGroup(this, 'ChiefEditorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: CHIEF_EDITORS_GROUP,
      description: 'Everything editors do, and publish (终审) with two-step sign-off',
    });
    this.userPoolDomain = this.userPool.addDomain('Login', {
      cognitoDomain: {
        domainPrefix: props.config.loginDomainPrefix ?? defaultLoginDomainPrefix(props.config.stage),
      },
    });

    // What the Site stack reads, as SSM parameters rather than exports, so any of it can be replaced.
    publishDataRefs(this, props.config.stage, {
      'Articles.Arn': this.articles.tableArn,
      'Articles.StreamArn': this.articles.tableStreamArn ?? '',
      'Counters.Arn': this.counters.tableArn,
      'History.Arn': this.history.tableArn,
      'Site.Name': this.siteBucket.bucketName,
      'Site.Arn': this.siteBucket.bucketArn,
      'Site.RegionalDomainName': this.siteBucket.bucketRegionalDomainName,
      'Uploads.Name': this.uploadsBucket.bucketName,
      'Uploads.Arn': this.uploadsBucket.bucketArn,
      'Uploads.RegionalDomainName': this.uploadsBucket.bucketRegionalDomainName,
      'Logs.RegionalDomainName': this.logBucket.bucketRegionalDomainName,
      'Editors.Arn': this.userPool.userPoolArn,
      'Editors.LoginDomain': this.userPoolDomain.domainName,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    // Read by `npm run import|rebuild -- --stage <name>`.
    new CfnOutput(this, 'ArticlesTableName', { value: this.articles.tableName });
    new CfnOutput(this, 'CountersTableName', { value: this.counters.tableName });
    new CfnOutput(this, 'HistoryTableName', { value: this.history.tableName });
    new CfnOutput(this, 'SiteBucketName', { value: this.siteBucket.bucketName });
    new CfnOutput(this, 'UploadsBucketName', { value: this.uploadsBucket.bucketName });

    acknowledge(this.logBucket, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it would recurse.' },
    ]);
    acknowledgeGuard(this.logBucket, ['s3_bucket_logging_enabled_check', 's3_bucket_acl_prohibited_check']);
    for (const bucket of [this.logBucket, this.siteBucket, this.uploadsBucket])
      acknowledgeGuard(bucket, [
        's3_bucket_default_encryption_kms_check',
        's3_bucket_object_lock_enabled_check',
        's3_event_notifications_enabled_check',
      ]);
    acknowledge(this.userPool, [
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection (Plus plan) is priced per user; a handful of editors with required MFA and no self sign-up do not justify it.',
      },
    ]);
  }
}
