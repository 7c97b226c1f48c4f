// The local stand-in for EventBridge Scheduler's 定时发布 schedules. In AWS review creates a one-time schedule per
// article; here the runtime reads the schedules off the Articles table itself: every write the DynamoDB proxy
// streams arms (or disarms) a timer for a `scheduled` article, and at start-up a sweep of the byStatus index arms
// the scheduled articles already there, firing at once those that fell due while the runtime was stopped. A timer
// sends review the same ScheduledPublish event as a schedule does, so a stale or early one is a no-op there too.
import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ScheduledPublish } from '../../shared/domain/scheduling.ts';
import type { Logger } from '../../shared/log.ts';
import { ARTICLES_BY_STATUS } from '../../shared/tables.ts';

/** setTimeout's longest delay (about 24.8 days); a later schedule is re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface PublishTimers {
  /** Arms or disarms from one stream record of the Articles table. */
  observe(record: Pick<DynamoDBRecord, 'dynamodb'>): void;
  /** Arms every scheduled article in the table (those already due fire now); returns how many it found. */
  sweep(): Promise<number>;
  /** Ids with an armed timer, and when each fires (for tests and logs). */
  armed(): ReadonlyMap<string, { at: string; revision: number }>;
  /** Waits until every publish the timers started has been answered. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

type Image = Record<string, { S?: string; N?: string } | undefined> | undefined;

export function startPublishTimers(options: {
  readonly endpoint: string;
  readonly tableName: string;
  readonly invoke: (event: ScheduledPublish) => Promise<unknown>;
  readonly log: Logger;
}): PublishTimers {
  const client = new DynamoDBClient({ endpoint: options.endpoint });
  const timers = new Map<string, { timer: NodeJS.Timeout; at: string; revision: number }>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const fire = (id: string, revision: number) => {
    timers.delete(id);
    const run = options
      .invoke({ command: 'publish-scheduled', id, revision })
      .then(() => undefined)
      .catch((error: Error) => options.log.warn('scheduled publish failed', { id, error: error.message }))
      .finally(() => running.delete(run));
    running.add(run);
  };

  const disarm = (id: string) => {
    const armed = timers.get(id);
    if (armed) clearTimeout(armed.timer);
    timers.delete(id);
  };

  const arm = (id: string, revision: number, at: string) => {
    if (stopped) return;
    const current = timers.get(id);
    if (current && current.revision === revision && current.at === at) return;
    disarm(id);
    const wait = () => {
      const delay = Date.parse(at) - Date.now();
      const timer = setTimeout(
        () => (delay > MAX_TIMEOUT_MS ? wait() : fire(id, revision)),
        Math.max(0, Math.min(delay, MAX_TIMEOUT_MS)),
      );
      // A pending schedule does not keep a test process alive; `npm start` stays up through its server.
      timer.unref();
      timers.set(id, { timer, at, revision });
    };
    wait();
  };

  const fromImage = (image: Image) => {
    const id = image?.id?.S;
    const at = image?.scheduledAt?.S;
    const revision = Number(image?.revision?.N);
    return image?.status?.S === 'scheduled' && id && at && Number.isInteger(revision)
      ? { id, at, revision }
      : undefined;
  };

  return {
    observe(record) {
      const newImage = record.dynamodb?.NewImage as Image;
      const oldImage = record.dynamodb?.OldImage as Image;
      const scheduled = fromImage(newImage);
      if (scheduled) arm(scheduled.id, scheduled.revision, scheduled.at);
      else {
        const id = newImage?.id?.S ?? oldImage?.id?.S;
        if (id) disarm(id);
      }
    },
    async sweep() {
      let found = 0;
      let ExclusiveStartKey: QueryCommandOutput['LastEvaluatedKey'];
      do {
        const page: QueryCommandOutput = await client.send(
          new QueryCommand({
            TableName: options.tableName,
            IndexName: ARTICLES_BY_STATUS,
            KeyConditionExpression: '#status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':scheduled': { S: 'scheduled' } },
            ProjectionExpression: 'id',
            ExclusiveStartKey,
          }),
        );
        for (const key of page.Items ?? []) {
          const id = key.id?.S;
          if (!id) continue;
          // The index is eventually consistent in AWS; the item itself says what is scheduled, for when.
          const item = await client.send(
            new GetItemCommand({
              TableName: options.tableName,
              Key: { id: { S: id } },
              ConsistentRead: true,
            }),
          );
          const scheduled = fromImage(item.Item as Image);
          if (!scheduled) continue;
          found++;
          arm(scheduled.id, scheduled.revision, scheduled.at);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return found;
    },
    armed: () => new Map([...timers].map(([id, { at, revision }]) => [id, { at, revision }])),
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async stop() {
      stopped = true;
      for (const id of [...timers.keys()]) disarm(id);
      await Promise.all([...running]);
      client.destroy();
    },
  };
}
