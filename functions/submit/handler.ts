// POST /api/submissions: parse → acceptSubmission → 201 with the receipt. GET /api/submissions/{id} with X-Receipt:
// the contributor's status lookup (shared/domain/receipts.ts).
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { type AcceptDeps, acceptSubmission } from '#shared/domain/accept-submission.ts';
import { lookUpSubmission } from '#shared/domain/receipts.ts';
import { submissionLimits } from '#shared/domain/submission.ts';
import { requireEnv } from '#shared/env.ts';
import {
  type ApiResult,
  handlerFor,
  header,
  json,
  jsonErrors,
  parseJsonBody,
  type RouteTable,
} from '#shared/http/api.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger, requestLogging } from '#shared/log.ts';

const config = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const deps: AcceptDeps = {
  store: dynamoArticleStore(documentClient, config.ARTICLES_TABLE, config.HISTORY_TABLE),
  now: () => new Date(),
};

interface SubmitCall {
  readonly event: APIGatewayProxyEventV2;
  readonly deps: AcceptDeps;
}

/** One entry per route of shared/routes.ts (test/handlers/route-tables.test.ts). */
export const submitRoutes: RouteTable<'submit', SubmitCall> = {
  'POST /api/submissions': ({ event, deps: injected }) => accept(event, injected),
  'GET /api/submissions/{id}': async ({ event, deps: injected }) =>
    json(
      200,
      await lookUpSubmission(event.pathParameters?.id ?? '', header(event, 'x-receipt'), injected.store),
    ),
};

export async function submit(event: APIGatewayProxyEventV2, injected: AcceptDeps = deps): Promise<ApiResult> {
  return handlerFor(submitRoutes, event.routeKey)({ event, deps: injected });
}

async function accept(event: APIGatewayProxyEventV2, injected: AcceptDeps): Promise<ApiResult> {
  const input = parseJsonBody(event, submissionLimits.requestBytes);
  const accepted = await acceptSubmission(input, header(event, 'idempotency-key'), injected);
  // Ids and outcome only: the submission's contact details are never logged.
  logger.info('submission accepted', {
    id: accepted.id,
    created: accepted.created,
  });
  return json(201, {
    id: accepted.id,
    status: accepted.status,
    ...(accepted.receipt ? { receipt: accepted.receipt } : {}),
  });
}

export const handler = middy<APIGatewayProxyEventV2, ApiResult>()
  .handler((event) => submit(event))
  .use(requestLogging())
  .use(cloudFrontOnly())
  .use(jsonErrors());
