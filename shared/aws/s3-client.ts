// The one S3 client. Locally AWS_ENDPOINT_URL_S3 points at s3rver, which only understands path-style addressing.
import { S3Client } from '@aws-sdk/client-s3';

export const s3Client = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
