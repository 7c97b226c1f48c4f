// The one CloudFront client, built once per process.
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';

export const cloudFrontClient = new CloudFrontClient({});
