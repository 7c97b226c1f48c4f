// The environment a handler sees locally: the same variable names as in Lambda, pointing at local servers.
import { articlesTable, countersTable, historyTable } from '../../shared/tables.ts';

export const localNames = {
  ARTICLES_TABLE: articlesTable.logicalName,
  COUNTERS_TABLE: countersTable.logicalName,
  HISTORY_TABLE: historyTable.logicalName,
  SITE_BUCKET: 'site',
  UPLOADS_BUCKET: 'uploads',
} as const;

/** Region and credentials for local servers, which accept any; set before any SDK client is built. */
export function useLocalCredentials(): void {
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
}

/** Sets the process environment so the real SDK clients talk to the local servers. */
export function useLocalAws(endpoints: { dynamodb: string; s3: string }): void {
  useLocalCredentials();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    // The runtime fires scheduled publishes itself (infra/local/publish-timers.ts).
    PUBLISH_SCHEDULER: 'local',
    ...localNames,
  });
}
