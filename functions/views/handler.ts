// /api/views: POST /api/views/{id} counts one view of a published article; GET /api/views?ids=… reads counts for
// list pages. Parse → counting rules → Counters adapter → JSON.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoViewCounter } from '#shared/aws/view-counts.ts';
import {
  countingDecision,
  isArticleId,
  parseIdList,
  parseViewToken,
  VIEW_TOKEN_HEADER,
  viewRefusal,
} from '#shared/domain/views.ts';
import { requireEnv } from '#shared/env.ts';
import { cacheControl } from '#shared/headers.ts';
import { type ApiResult, handlerFor, header, json, jsonErrors, type RouteTable } from '#shared/http/api.ts';
import { badRequest, HttpError, notFound } from '#shared/http/errors.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger, requestLogging } from '#shared/log.ts';
import type { ViewCounter } from '#shared/ports.ts';

const config = requireEnv('COUNTERS_TABLE', 'ARTICLES_TABLE');
const counter = dynamoViewCounter(documentClient, {
  countersTable: config.COUNTERS_TABLE,
  articlesTable: config.ARTICLES_TABLE,
});

interface ViewsCall {
  readonly event: APIGatewayProxyEventV2;
  readonly views: ViewCounter;
}

/** One entry per route of shared/routes.ts (test/handlers/route-tables.test.ts). */
export const viewsRoutes: RouteTable<'views', ViewsCall> = {
  'POST /api/views/{id}': ({ event, views }) => countView(event, views),
  'GET /api/views': async ({ event, views }) => {
    const parsed = parseIdList(event.queryStringParameters?.ids);
    if (!parsed.ok) throw badRequest(parsed.message, { ids: parsed.message });
    const totals = await views.totals(parsed.ids);
    return json(200, { views: Object.fromEntries(totals) }, { 'cache-control': cacheControl.shortRead });
  },
};

export async function handleViews(
  event: APIGatewayProxyEventV2,
  views: ViewCounter = counter,
): Promise<ApiResult> {
  return handlerFor(viewsRoutes, event.routeKey)({ event, views });
}

async function countView(event: APIGatewayProxyEventV2, views: ViewCounter): Promise<ApiResult> {
  const id = event.pathParameters?.id ?? '';
  const request = { method: event.requestContext.http.method, header: (name: string) => header(event, name) };
  const decision = countingDecision(request);
  // An id that cannot exist, a view from another site and a view without our page's token are refused before any
  // read; an unknown or unpublished id after one GetItem.
  if (!isArticleId(id)) throw notFound('The article');
  const refusal = viewRefusal(request);
  if (refusal && (decision.count || refusal.status === 403))
    throw new HttpError(refusal.status, refusal.code, refusal.message);
  if (!(await views.isPublished(id))) throw notFound('The article');

  if (!decision.count) {
    const current = (await views.totals([id])).get(id) ?? 0;
    logger.debug('view not counted', {
      id,
      reason: decision.reason,
    });
    return json(200, { id, views: current });
  }
  const result = await views.count(id, parseViewToken(header(event, VIEW_TOKEN_HEADER)));
  return json(200, { id: result.id, views: result.views });
}

/** Writes this instance's hot-list tally out now; the local runtime's refresh timer calls it before render. */
export const flushHotTally = (): Promise<number> => counter.flushHotTally();

export const handler = middy<APIGatewayProxyEventV2, ApiResult>()
  .handler((event) => handleViews(event))
  .use(requestLogging())
  .use(cloudFrontOnly())
  .use(jsonErrors());
