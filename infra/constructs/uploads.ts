// Contributor photos: `uploads` hands out presigned POSTs into the quarantine prefix of the private uploads bucket;
// `images` is triggered by S3 ObjectCreated there, and writes processed sizes to the site bucket's private
// `_state/photos/` (render publishes them to media/ with their article) and an `upload#…` record to the Articles table.
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { PRIVATE_PHOTOS_PREFIX, QUARANTINE_PREFIX, UPLOAD_ITEM_PREFIX } from '../../shared/domain/uploads.ts';
import { acknowledge, acknowledgeObjectPrefixGrants } from './nag.ts';
import { NewsFunction } from './news-function.ts';

/** The uploads bucket's regional S3 endpoint, which the 投稿 page and the desk POST presigned forms to. */
export const uploadFormOrigin = (bucket: IBucket): string => `https://${bucket.bucketRegionalDomainName}`;
const uploadFormUrl = (bucket: IBucket): string => `${uploadFormOrigin(bucket)}/`;

/**
 * At most this many photos are processed at once, whatever arrives: a flood of uploads cannot take the account's
 * concurrency from submit, review, views and render (S3's asynchronous invocations beyond it are throttled and
 * retried by Lambda for up to 6 hours, then go to the failed-invocations queue). 10 matches the uploads route's
 * 10/s at about a second per photo. It needs an account concurrency of at least 111 (100 stay unreserved; render
 * reserves 1).
 */
export const IMAGES_RESERVED_CONCURRENCY = 10;

export interface PhotoUploadsProps {
  readonly uploadsBucket: IBucket;
  readonly siteBucket: IBucket;
  readonly articles: ITable;
}

export class PhotoUploads extends Construct {
  readonly uploads: NewsFunction;
  readonly images: NewsFunction;

  constructor(scope: Construct, id: string, props: PhotoUploadsProps) {
    super(scope, id);
    const quarantine = props.uploadsBucket.arnForObjects(`${QUARANTINE_PREFIX}*`);

    // A presigned POST carries the signer's rights: this role may put into quarantine and nothing else.
    this.uploads = new NewsFunction(this, 'Uploads', { name: 'uploads', memorySize: 256 });
    this.uploads.fn.addEnvironment('UPLOADS_BUCKET', props.uploadsBucket.bucketName);
    // Where pages POST the form: the bucket's regional endpoint (docs/DEPLOYING.md, "Photo uploads").
    this.uploads.fn.addEnvironment('UPLOAD_FORM_URL', uploadFormUrl(props.uploadsBucket));
    this.uploads.fn.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [quarantine] }),
    );

    // Decoding a 40 MP photo takes ~160 MB of pixels per copy; 2 GB also buys the CPU share that sharp uses.
    this.images = new NewsFunction(this, 'Images', {
      name: 'images',
      memorySize: 2048,
      nativeModules: ['sharp'],
      reservedConcurrency: IMAGES_RESERVED_CONCURRENCY,
      environment: { SITE_BUCKET: props.siteBucket.bucketName },
    });
    this.images.fn.addEnvironment('ARTICLES_TABLE', props.articles.tableName);
    this.images.fn.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [quarantine] }),
    );
    // Processed photos go to private state, never to media/: only render publishes them, with their article.
    this.images.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [props.siteBucket.arnForObjects(`${PRIVATE_PHOTOS_PREFIX}*`)],
      }),
    );
    // Only `upload#…` items: the images function can never touch an article. GetItem reads whether an upload was
    // processed already; PutItem claims it and writes its record.
    this.images.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.articles.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${UPLOAD_ITEM_PREFIX}*`] } },
      }),
    );

    // The bucket lives in the stateful stack. Adding the notification there would make that stack depend on this
    // function, so it is set here on a reference, through CDK's notifications custom resource, which keeps any
    // other notifications the bucket has.
    const bucketRef = Bucket.fromBucketAttributes(this, 'UploadsRef', {
      bucketArn: props.uploadsBucket.bucketArn,
      bucketName: props.uploadsBucket.bucketName,
    });
    bucketRef.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.images.fn), {
      prefix: QUARANTINE_PREFIX,
    });

    acknowledgeObjectPrefixGrants(
      this,
      [`/${QUARANTINE_PREFIX}*`, `/${PRIVATE_PHOTOS_PREFIX}*`],
      'Object keys are per-upload uuids, so grants name a key prefix: quarantine/* (put by uploads, read by images) and _state/photos/* (written by images, read by the preview).',
    );
    // CDK's singleton handler that applies bucket notifications: its code and role are CDK's, not ours.
    const notificationsHandler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      acknowledge(notificationsHandler, [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's bucket-notifications custom resource uses the basic execution role; it runs only on deploy.",
        },
      ]);
    }
  }
}
