// Items read back from DynamoDB go through their schemas (shared/aws/article-items.ts, history-store.ts,
// upload-records.ts): a malformed one fails loudly, naming its key and what is wrong, and never passes as a model.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { toItem } from '#shared/aws/article-items.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoHistory } from '#shared/aws/history-store.ts';
import { dynamoPublishedArticles } from '#shared/aws/published-articles.ts';
import { dynamoUploadRecords, uploadItemId } from '#shared/aws/upload-records.ts';
import type { Article } from '#shared/domain/article.ts';
import { UPLOAD_ITEM_KIND } from '#shared/domain/uploads.ts';
import { requireEnv } from '#shared/env.ts';
import { SEED_ID, seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const tables = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const store = dynamoArticleStore(documentClient, tables.ARTICLES_TABLE, tables.HISTORY_TABLE);
const history = dynamoHistory(documentClient, tables.HISTORY_TABLE);
const published = dynamoPublishedArticles(documentClient, tables.ARTICLES_TABLE);
const uploads = dynamoUploadRecords(documentClient, tables.ARTICLES_TABLE);

const ID = SEED_ID;
/** The seed article, with a contact: no error message may carry it. */
const article: Article = { ...seedArticle, contact: { email: 'reader@example.com' } };
const put = (TableName: string, Item: object) => documentClient.send(new PutCommand({ TableName, Item }));

afterEach(resetTables);

describe('article items read back', () => {
  it('a well-formed article reads back whole, without its index keys', async () => {
    await put(tables.ARTICLES_TABLE, toItem(article));
    expect(await store.get(ID)).toEqual(article);
    expect((await published.getMany([ID])).get(ID)).toEqual(article);
    expect((await published.listings()).map((l) => l.id)).toEqual([ID]);
  });

  it('GetItem and BatchGetItem of a malformed article throw, naming the item and every problem, not the values', async () => {
    await put(tables.ARTICLES_TABLE, { ...toItem(article), status: 'live', revision: '2' });
    const message = `Malformed article item (id=${ID}): status: must be an article status; revision: must be a number`;
    await expect(store.get(ID)).rejects.toThrow(message);
    await expect(published.getMany([ID])).rejects.toThrow(message);
    await expect(store.get(ID)).rejects.not.toThrow('reader@example.com');
  });

  it('a published article without its publish time is refused, not listed as if it had one', async () => {
    const { publishedAt: _at, ...item } = toItem(article);
    await put(tables.ARTICLES_TABLE, { ...item, listChannel: article.channel, publishedKey: `x#${ID}` });
    await expect(store.get(ID)).rejects.toThrow(
      `Malformed article item (id=${ID}): (item): a published article needs title, body, channel, publishedAt`,
    );
    await expect(published.listings()).rejects.toThrow(
      `Malformed listing item (id=${ID}): (item): a published article needs title, channel, publishedAt, updatedAt`,
    );
  });

  it('a byChannel listing whose title is not text fails the read that found it', async () => {
    await put(tables.ARTICLES_TABLE, { ...toItem(article), title: 42 });
    await expect(published.listings()).rejects.toThrow(
      `Malformed listing item (id=${ID}): title: must be a string`,
    );
  });

  it('a byStatus queue row without a revision fails the queue, naming the item', async () => {
    const pending: Article = { ...article, status: 'pending' };
    const { publishedAt: _at, editor: _editor, ...rest } = pending;
    const { revision: _revision, ...item } = toItem(rest as Article);
    await put(tables.ARTICLES_TABLE, item);
    await expect(store.listByStatus('pending', { limit: 5 })).rejects.toThrow(
      `Malformed queue item (id=${ID}): revision: is missing`,
    );
    await put(tables.ARTICLES_TABLE, toItem(rest as Article));
    const page = await store.listByStatus('pending', { limit: 5 });
    expect(page.items.map((i) => [i.id, i.revision])).toEqual([[ID, 2]]);
    expect(page.items[0]).not.toHaveProperty('statusKey');
  });
});

describe('history items read back', () => {
  const editor = { name: 'admin', sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
  const entry = (name: string, item: Record<string, unknown>) =>
    put(tables.HISTORY_TABLE, { articleId: ID, entry: name, ...item });

  it('well-formed entries read back without their keys; malformed ones name their key', async () => {
    await entry('log#0000000003', { action: 'edit', editor, at: '2026-11-30T00:00:00.000Z', revision: 3 });
    await entry('rev#0000000003', {
      revision: 3,
      editor,
      at: '2026-11-30T00:00:00.000Z',
      text: { title: 't', body: 'b', author: '', source: '', channel: 'focus/public-welfare', summary: '' },
    });
    expect(await history.entries(ID)).toEqual([
      { action: 'edit', editor, at: '2026-11-30T00:00:00.000Z', revision: 3 },
    ]);
    expect(await history.revisions(ID)).toEqual([{ revision: 3, editor, at: '2026-11-30T00:00:00.000Z' }]);
    expect((await history.revision(ID, 3))?.text.title).toBe('t');

    await entry('log#0000000004', { action: 'shred', editor, at: '2026-11-30T00:00:00.000Z', revision: 4 });
    await expect(history.entries(ID)).rejects.toThrow(
      `Malformed audit entry (articleId=${ID} entry=log#0000000004): action: must be an audit action`,
    );
    await entry('rev#0000000004', { revision: 4, editor: 'admin', at: '2026-11-30T00:00:00.000Z', text: {} });
    await expect(history.revisions(ID)).rejects.toThrow(
      `Malformed revision (articleId=${ID} entry=rev#0000000004): editor: must be an editor {name, sub}`,
    );
    await expect(history.revision(ID, 4)).rejects.toThrow('text.title: is missing; text.body: is missing');
  });
});

describe('upload records read back', () => {
  const uploadId = '0d9f4b51-7a4e-4c39-9a57-2f1f7d0a3b21';

  it('a ready record reads back as processing wrote it; one of no known state fails, naming it', async () => {
    const ready = {
      uploadId,
      state: 'ready' as const,
      width: 1600,
      height: 1200,
      variants: [{ width: 800, height: 600, webp: 'a.webp', jpeg: 'a.jpg' }],
      processedAt: '2026-11-30T00:00:00.000Z',
    };
    await uploads.put(ready);
    expect((await uploads.getMany([uploadId])).get(uploadId)).toEqual(ready);
    await put(tables.ARTICLES_TABLE, {
      id: uploadItemId(uploadId),
      kind: UPLOAD_ITEM_KIND,
      uploadId,
      state: 'lost',
    });
    await expect(uploads.getMany([uploadId])).rejects.toThrow(
      `Malformed upload record (id=${uploadItemId(uploadId)}): state: must be ready or rejected`,
    );
  });
});
