// POST /api/submissions: parse → acceptSubmission → 201.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { type AcceptDeps, acceptSubmission } from '#shared/domain/accept-submission.ts';
import { submissionLimits } from '#shared/domain/submission.ts';
import { requireEnv } from '#shared/env.ts';
import { type ApiResult, header, json, jsonErrors, parseJsonBody } from '#shared/http/api.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger } from '#shared/log.ts';

const config = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const deps: AcceptDeps = {
  store: dynamoArticleStore(documentClient, config.ARTICLES_TABLE, config.HISTORY_TABLE),
  now: () => new Date(),
};

export async function submit(event: APIGatewayProxyEventV2, injected: AcceptDeps = deps): Promise<ApiResult> {
  const input = parseJsonBody(event, submissionLimits.requestBytes);
  const accepted = await acceptSubmission(input, header(event, 'idempotency-key'), injected);
  // Ids and outcome only: the submission's contact details are never logged.
  logger.info('submission accepted', {
    requestId: event.requestContext.requestId,
    id: accepted.id,
    created: accepted.created,
  });
  return json(201, { id: accepted.id, status: accepted.status });
}

export const handler = middy<APIGatewayProxyEventV2, ApiResult>()
  .handler((event) => submit(event))
  .use(cloudFrontOnly())
  .use(jsonErrors());
