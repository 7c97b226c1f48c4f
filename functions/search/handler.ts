// search: keeps the static search index (/pagefind/) current. Invoked every SEARCH_REINDEX_INTERVAL_SECONDS (an
// EventBridge rule in AWS, a timer in the local runtime) with `{"command":"reindex"}`; it builds only when render
// marked a change since the last build. `{"command":"reindex","force":true}` builds regardless.
import middy from '@middy/core';
import { cloudFrontInvalidator, noCdn } from '#shared/aws/cdn-invalidator.ts';
import { cloudFrontClient } from '#shared/aws/cloudfront-client.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoPublishedArticles } from '#shared/aws/published-articles.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { s3SearchChangeMark, s3SearchIndexState } from '#shared/aws/search-state.ts';
import { s3SiteStore } from '#shared/aws/site-store.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { logger, requestLogging } from '#shared/log.ts';
import { buildSearchIndex } from '#shared/search/pagefind-index.ts';
import {
  isReindexCommand,
  type ReindexDeps,
  type ReindexOutcome,
  reindexIfChanged,
} from '#shared/search/reindex.ts';

export async function reindex(event: unknown, deps: ReindexDeps): Promise<ReindexOutcome> {
  // EventBridge sends the rule's constant input; anything else is a mistake worth a clear error.
  if (!isReindexCommand(event)) throw new Error('search expects {"command":"reindex","force"?:boolean}');
  return reindexIfChanged(deps, { force: event.force === true });
}

const env = requireEnv('ARTICLES_TABLE', 'SITE_BUCKET');
const distributionId = optionalEnv('DISTRIBUTION_ID');

let defaultDeps: ReindexDeps | undefined;
export const productionDeps = (): ReindexDeps => {
  defaultDeps ??= {
    articles: dynamoPublishedArticles(documentClient, env.ARTICLES_TABLE),
    mark: s3SearchChangeMark(s3Client, env.SITE_BUCKET),
    state: s3SearchIndexState(s3Client, env.SITE_BUCKET),
    store: s3SiteStore(s3Client, env.SITE_BUCKET),
    invalidator: distributionId ? cloudFrontInvalidator(cloudFrontClient, distributionId) : noCdn,
    build: buildSearchIndex,
    log: logger,
  };
  return defaultDeps;
};

export const handler = middy<unknown, ReindexOutcome>()
  .use(requestLogging())
  .handler((event) => reindex(event, productionDeps()));
