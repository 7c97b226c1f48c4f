// Pending and rejected submissions expire (DynamoDB TTL on Articles), so a flood of submissions cannot grow the
// table forever; a publish ends the expiry. Against dynalite, with the local runtime's TTL stand-in.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepExpired } from '#infra/local/ttl-sweep.ts';
import { expiryOf, toItem } from '#shared/aws/article-items.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import type { Article } from '#shared/domain/article.ts';
import { requireEnv } from '#shared/env.ts';
import { siteConfig } from '#shared/site-config.ts';
import { articlesTable, countersTable } from '#shared/tables.ts';
import { articleItems, resetTables } from '../support/tables.ts';

const env = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE');
const store = dynamoArticleStore(documentClient, env.ARTICLES_TABLE);
const DAY = 86_400;

const submission = (id: string, overrides: Partial<Article> = {}): Article => ({
  id,
  status: 'pending',
  title: '社区法律援助站开放',
  body: '每周一至周五。',
  author: '',
  source: '',
  channel: 'law/cases',
  summary: '',
  submittedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  revision: 1,
  ...overrides,
});
const epoch = (iso: string) => Date.parse(iso) / 1000;

afterEach(resetTables);

describe('submission expiry', () => {
  it('pending expires retentionDays.pending after its last change, rejected after retentionDays.rejected', () => {
    const at = '2026-11-01T00:00:00.000Z';
    expect(expiryOf({ status: 'pending', updatedAt: at })).toBe(
      epoch(at) + siteConfig.retentionDays.pending * DAY,
    );
    expect(expiryOf({ status: 'rejected', updatedAt: at })).toBe(
      epoch(at) + siteConfig.retentionDays.rejected * DAY,
    );
    // Approved by 初审 but not yet published is still a submission waiting in a queue.
    expect(expiryOf({ status: 'approved', updatedAt: at })).toBe(
      epoch(at) + siteConfig.retentionDays.pending * DAY,
    );
    expect(expiryOf({ status: 'published', updatedAt: at })).toBeUndefined();
    expect(expiryOf({ status: 'unpublished', updatedAt: at })).toBeUndefined();
    expect(toItem(submission('00000000000000a1')).expiresAt).toBe(epoch(at) + 90 * DAY);
  });

  it('is the Articles table TTL attribute, and a publish removes it while a rejection resets it', async () => {
    expect(articlesTable.timeToLiveAttribute).toBe('expiresAt');
    const pending = submission('00000000000000a2');
    await store.insert(pending);
    const stored = async () => (await articleItems()).find((i) => i.id === pending.id);
    expect((await stored())?.expiresAt).toBe(epoch(pending.updatedAt) + 90 * DAY);

    const rejectedAt = '2026-11-05T00:00:00.000Z';
    const rejected = { ...pending, status: 'rejected' as const, updatedAt: rejectedAt, revision: 2 };
    expect(await store.transition(rejected, pending)).toBe(true);
    expect((await stored())?.expiresAt).toBe(epoch(rejectedAt) + 30 * DAY);

    const other = submission('00000000000000a3');
    await store.insert(other);
    const published = {
      ...other,
      status: 'published' as const,
      publishedAt: '2026-11-06T00:00:00.000Z',
      editor: 'admin',
      updatedAt: '2026-11-06T00:00:00.000Z',
      revision: 2,
    };
    expect(await store.transition(published, other)).toBe(true);
    const item = (await articleItems()).find((i) => i.id === other.id);
    expect(item?.status).toBe('published');
    expect(item).not.toHaveProperty('expiresAt');
  });

  it('the local TTL stand-in deletes expired items only, in both tables', async () => {
    const old = submission('00000000000000b1', { updatedAt: '2020-01-01T00:00:00.000Z' });
    const fresh = submission('00000000000000b2', { updatedAt: new Date().toISOString() });
    const published = submission('00000000000000b3', {
      status: 'published',
      publishedAt: '2020-01-01T00:00:00.000Z',
      editor: 'admin',
      updatedAt: '2020-01-01T00:00:00.000Z',
    });
    for (const a of [old, fresh, published]) await store.insert(a);
    const client = new DynamoDBClient({});
    const deleted = await sweepExpired(client, [
      { tableName: env.ARTICLES_TABLE, schema: articlesTable },
      { tableName: env.COUNTERS_TABLE, schema: countersTable },
    ]);
    client.destroy();
    expect(deleted).toBe(1);
    // The list counters (list#<path>) the publish wrote have no expiry either; the articles are what is checked.
    const articles = (await articleItems()).filter((i) => !String(i.id).startsWith('list#'));
    expect(articles.map((i) => i.id).sort()).toEqual([fresh.id, published.id]);
  });
});
