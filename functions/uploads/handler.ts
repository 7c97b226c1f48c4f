// POST /api/uploads: a presigned S3 POST for one photo, pinned to a fresh quarantine key, its declared type and size.
import { randomUUID } from 'node:crypto';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { s3Client } from '#shared/aws/s3-client.ts';
import { validationFailed } from '#shared/domain/errors.ts';
import {
  quarantineKey,
  UPLOAD_FORM_PATH,
  uploadLimits,
  uploadPolicyConditions,
  validateUploadRequest,
} from '#shared/domain/uploads.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import {
  type ApiResult,
  handlerFor,
  json,
  jsonErrors,
  parseJsonBody,
  type RouteTable,
} from '#shared/http/api.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger, requestLogging } from '#shared/log.ts';

const config = requireEnv('UPLOADS_BUCKET');
/**
 * In AWS the bucket's regional endpoint, so S3's answer to a refused form reaches the page (CloudFront would replace
 * a 403 with the 404 page); locally the gateway's same-origin path, forwarded to s3rver.
 */
const formUrl = optionalEnv('UPLOAD_FORM_URL') ?? UPLOAD_FORM_PATH;

export interface UploadGrant {
  readonly uploadId: string;
  readonly key: string;
  /** Where to POST the form (multipart/form-data: every field, then `file` last): the bucket, or locally `/_uploads`. */
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
  readonly maxBytes: number;
}

export async function grantUpload(event: APIGatewayProxyEventV2, now = () => new Date()): Promise<ApiResult> {
  const parsed = validateUploadRequest(parseJsonBody(event, 1024));
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const uploadId = randomUUID();
  const key = quarantineKey(uploadId);
  const { fields, conditions } = uploadPolicyConditions(parsed.value.contentType);
  const post = await createPresignedPost(s3Client, {
    Bucket: config.UPLOADS_BUCKET,
    Key: key,
    Fields: fields,
    Conditions: conditions,
    Expires: uploadLimits.expiresSeconds,
  });
  logger.info('upload granted', {
    uploadId,
    contentType: parsed.value.contentType,
    size: parsed.value.size,
  });
  const grant: UploadGrant = {
    uploadId,
    key,
    url: formUrl,
    fields: post.fields,
    expiresAt: new Date(now().getTime() + uploadLimits.expiresSeconds * 1000).toISOString(),
    maxBytes: uploadLimits.maxBytes,
  };
  return json(201, grant);
}

/** One entry per route of shared/routes.ts (test/handlers/route-tables.test.ts). */
export const uploadsRoutes: RouteTable<'uploads', APIGatewayProxyEventV2> = {
  'POST /api/uploads': (event) => grantUpload(event),
};

export const handler = middy<APIGatewayProxyEventV2, ApiResult>()
  .handler(async (event) => handlerFor(uploadsRoutes, event.routeKey)(event))
  .use(requestLogging())
  .use(cloudFrontOnly())
  .use(jsonErrors());
