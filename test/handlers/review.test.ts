import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler, reviewSubmissions } from '#functions/review/handler.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoHistory } from '#shared/aws/history-store.ts';
import type { Article } from '#shared/domain/article.ts';
import { requireEnv } from '#shared/env.ts';
import { toHttpError } from '#shared/http/errors.ts';
import type { ArticleStore } from '#shared/ports.ts';
import { isApiEvent, lambdaContext, loadEvent } from '../support/events.ts';
import { articleItems, resetTables } from '../support/tables.ts';

const SEED_ID = '2a8c6bce1fad40bb';
const tables = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const store = dynamoArticleStore(documentClient, tables.ARTICLES_TABLE, tables.HISTORY_TABLE);
const history = dynamoHistory(documentClient, tables.HISTORY_TABLE);

// The review events carry JWT authorizer claims (except no-token.json, which is exactly the case under test).
const isReviewEvent = (value: unknown): value is APIGatewayProxyEventV2WithJWTAuthorizer => isApiEvent(value);
const load = (name: string) => loadEvent(`review/${name}.json`, isReviewEvent);

const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = await handler(event, lambdaContext('review'));
  const textual = result.headers?.['content-type']?.toString().startsWith('text/html');
  return { ...result, json: textual ? undefined : JSON.parse(result.body ?? 'null') };
};

const forId = (event: APIGatewayProxyEventV2WithJWTAuthorizer, id: string) => ({
  ...event,
  rawPath: event.rawPath.replace(SEED_ID, id),
  pathParameters: { id },
});

/** Replaces the claims; an editor's sub and group are filled in unless the test gives its own. */
const withClaims = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  given: Record<string, string> | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const { authorizer: _removed, ...requestContext } = event.requestContext;
  const claims = given && {
    sub: `sub-${given['cognito:username'] ?? 'x'}`,
    'cognito:groups': '[editors]',
    ...given,
  };
  return {
    ...event,
    requestContext: claims
      ? { ...requestContext, authorizer: { ...event.requestContext.authorizer, jwt: { claims, scopes: [] } } }
      : (requestContext as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']),
  };
};

const article = (id: string, overrides: Partial<Article> = {}): Article => ({
  id,
  status: 'pending',
  title: '在大战大考中守好小店阵地',
  body: '疫情面前,每个人都是城市的守护者。\n\n## 尽锐出战 以快制快',
  author: '',
  source: '',
  channel: 'focus/public-welfare',
  summary: '小店区信访局干部在疫情防控一线的故事。',
  contact: { name: '李记者', email: 'reporter@example.cn' },
  submittedAt: '2026-11-28T04:10:05.000Z',
  updatedAt: '2026-11-28T04:10:05.000Z',
  revision: 1,
  ...overrides,
});

const hexId = (n: number) => n.toString(16).padStart(16, '0');
const stored = async (id: string) => (await articleItems()).find((item) => item.id === id);
/** The list counters render pages by (`list#<path>` items), by list path. */
const listTotals = async () =>
  Object.fromEntries(
    (await articleItems()).flatMap((item) =>
      String(item.id).startsWith('list#') ? [[String(item.id).slice(5), item.total]] : [],
    ),
  );

beforeEach(async () => {
  // With an idempotency fingerprint, as submit stores it: state changes must keep hidden attributes.
  await store.insert(article(SEED_ID), { requestFingerprint: 'fp-seed' });
});
afterEach(resetTables);

describe('auth', () => {
  it('answers 401 without authorizer claims and changes nothing', async () => {
    const response = await invoke(load('no-token'));
    expect(response.statusCode).toBe(401);
    expect(response.json.error.code).toBe('unauthorized');
    const publishWithoutToken = await invoke(withClaims(load('publish'), undefined));
    expect(publishWithoutToken.statusCode).toBe(401);
    expect((await stored(SEED_ID))?.status).toBe('pending');
  });

  it('answers 401 when the claims name nobody', async () => {
    const response = await invoke(withClaims(load('publish'), { sub: 'x', preferred_username: ' ' }));
    expect(response.statusCode).toBe(401);
  });

  it.each([
    [{ preferred_username: '张伟', 'cognito:username': 'zhangwei', username: 'u-1' }, '张伟'],
    [{ 'cognito:username': 'zhangwei', username: 'u-1' }, 'zhangwei'],
    [{ username: 'access-token-user' }, 'access-token-user'],
  ])('stores the editor named by the claims %o as %s', async (claims, name) => {
    const response = await invoke(withClaims(load('publish'), { sub: 'x', ...claims }));
    expect(response.statusCode).toBe(200);
    expect((await stored(SEED_ID))?.editor).toBe(name);
  });
});

describe('GET /api/admin/submissions', () => {
  it('lists pending submissions newest first, without bodies or contacts', async () => {
    await store.insert(article(hexId(1), { updatedAt: '2026-11-28T05:00:00.000Z' }));
    await store.insert(article(hexId(2), { updatedAt: '2026-11-28T03:00:00.000Z' }));
    await store.insert(article(hexId(3), { status: 'rejected', updatedAt: '2026-11-28T06:00:00.000Z' }));
    const response = await invoke(load('list-pending'));
    expect(response.statusCode).toBe(200);
    expect(response.json.items.map((i: Article) => i.id)).toEqual([hexId(1), SEED_ID, hexId(2)]);
    expect(response.json.next).toBeUndefined();
    for (const item of response.json.items) {
      expect(item).not.toHaveProperty('body');
      expect(item).not.toHaveProperty('contact');
      expect(item).not.toHaveProperty('statusKey');
      expect(item).toMatchObject({ status: 'pending', title: expect.any(String), revision: 1 });
    }
  });

  it('pages with next cursors until every item was seen exactly once', async () => {
    for (let n = 1; n <= 6; n++) {
      await store.insert(article(hexId(n), { updatedAt: `2026-11-29T0${n}:00:00.000Z` }));
    }
    const base = load('list-pending');
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string> = { status: 'pending', limit: '3', ...(next ? { next } : {}) };
      const response = await invoke({ ...base, queryStringParameters: query });
      expect(response.statusCode).toBe(200);
      expect(response.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.json.items.map((i: Article) => i.id));
      next = response.json.next;
      if (next) expect(next).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (next && pages < 10);
    // 7 items at 3 a page: exactly 3 pages, and the last one has no `next`.
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1].map(hexId).concat(SEED_ID));
  });

  it('continues after the cursor in list-next-page.json', async () => {
    await store.insert(article(hexId(1), { updatedAt: '2026-11-28T05:00:00.000Z' }));
    await store.insert(article(hexId(2), { updatedAt: '2026-11-28T03:00:00.000Z' }));
    const response = await invoke(load('list-next-page'));
    expect(response.statusCode).toBe(200);
    expect(response.json.items.map((i: Article) => i.id)).toEqual([hexId(2)]);
  });

  it('lists published articles with their permanent URL', async () => {
    await invoke(load('publish'));
    const base = load('list-pending');
    const response = await invoke({ ...base, queryStringParameters: { status: 'published' } });
    expect(response.json.items).toEqual([
      expect.objectContaining({
        id: SEED_ID,
        editor: 'admin',
        url: expect.stringMatching(/^\/\d{4}\/\d{4}\/2a8c6bce1fad40bb\.html$/),
      }),
    ]);
  });

  it.each([
    [{ status: 'deleted' }],
    [{ status: 'pending', limit: '51' }],
    [{ status: 'pending', next: 'not-a-cursor' }],
    // A cursor from the published list cannot be replayed against another queue.
    [{ status: 'rejected', next: load('list-next-page').queryStringParameters?.next ?? '' }],
    // A sort key that is not the named article's.
    [
      {
        status: 'pending',
        next: Buffer.from(
          JSON.stringify({
            id: SEED_ID,
            status: 'pending',
            statusKey: `2026-01-01T00:00:00.000Z#${'f'.repeat(16)}`,
          }),
        ).toString('base64url'),
      },
    ],
  ])('answers 400 for %o', async (query) => {
    const response = await invoke({ ...load('list-pending'), queryStringParameters: query });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('invalid_request');
  });
});

describe('GET /api/admin/submissions/{id}', () => {
  it('returns the whole article, contact included, for the editor', async () => {
    const response = await invoke(load('get'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({
      id: SEED_ID,
      status: 'pending',
      body: expect.stringContaining('## 尽锐出战'),
      contact: { name: '李记者' },
    });
    expect(response.json).not.toHaveProperty('_requestFingerprint');
  });

  it.each([['ffffffffffffffff'], ['2A8C6BCE1FAD40BB'], ['..%2F..'], ['abc']])(
    'answers 404 for id %s',
    async (id) => {
      const response = await invoke(id === 'ffffffffffffffff' ? load('get-unknown') : forId(load('get'), id));
      expect(response.statusCode).toBe(404);
      expect(response.json.error.code).toBe('not_found');
    },
  );
});

describe('GET /api/admin/submissions/{id}/preview', () => {
  it('renders the submission with the article template, this editor as 责任编辑', async () => {
    const response = await invoke(load('preview'));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers?.['cache-control']).toBe('no-store');
    const page = response.body ?? '';
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<h1 id="article-title">在大战大考中守好小店阵地</h1>');
    expect(page).toMatch(/<h2[^>]*>尽锐出战 以快制快<\/h2>/);
    expect(page).toContain('责任编辑:admin');
    // The contributor's private contact never reaches a page, not even a preview.
    expect(page).not.toContain('reporter@example.cn');
    // Styles but no scripts: a preview never counts a view.
    expect(page).not.toMatch(/<script src=/);
    expect((await stored(SEED_ID))?.status).toBe('pending');
  });

  it('answers a JSON 404 for an unknown id', async () => {
    const response = await invoke(forId(load('preview'), 'ffffffffffffffff'));
    expect(response.statusCode).toBe(404);
    expect(response.json.error.code).toBe('not_found');
  });
});

describe('POST /api/admin/submissions/{id}/publish', () => {
  it('publishes as the editor from the token, with the permanent URL', async () => {
    const before = Date.now();
    const response = await invoke(load('publish'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      id: SEED_ID,
      status: 'published',
      revision: 2,
      url: expect.stringMatching(/^\/\d{4}\/\d{4}\/2a8c6bce1fad40bb\.html$/),
    });
    const item = await stored(SEED_ID);
    expect(item).toMatchObject({
      status: 'published',
      editor: 'admin',
      revision: 2,
      listChannel: 'focus/public-welfare',
      publishedKey: `${item?.publishedAt}#${SEED_ID}`,
      statusKey: `${item?.updatedAt}#${SEED_ID}`,
      _requestFingerprint: 'fp-seed',
      contact: { name: '李记者', email: 'reporter@example.cn' },
    });
    expect(Date.parse(String(item?.publishedAt))).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers 409 to publishing it again (publish-conflict.json), leaving it as it was', async () => {
    await invoke(load('publish'));
    const first = await stored(SEED_ID);
    const response = await invoke(load('publish-conflict'));
    expect(response.statusCode).toBe(409);
    expect(response.json.error.code).toBe('conflict');
    expect(await stored(SEED_ID)).toEqual(first);
  });

  it('answers 409 to publishing a rejected article', async () => {
    await invoke(load('reject'));
    const response = await invoke(load('publish'));
    expect(response.statusCode).toBe(409);
    expect((await stored(SEED_ID))?.status).toBe('rejected');
  });

  it('answers 404 for an unknown id', async () => {
    const response = await invoke(forId(load('publish'), 'ffffffffffffffff'));
    expect(response.statusCode).toBe(404);
  });

  it('lets exactly one of two racing editors win, every time', async () => {
    const rounds = 8;
    for (let n = 1; n <= rounds; n++) await store.insert(article(hexId(n)));
    for (let n = 1; n <= rounds; n++) {
      const [a, b] = await Promise.all([
        invoke(withClaims(forId(load('publish'), hexId(n)), { 'cognito:username': 'editor-a' })),
        invoke(withClaims(forId(load('publish'), hexId(n)), { 'cognito:username': 'editor-b' })),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? 'editor-a' : 'editor-b';
      expect(await stored(hexId(n))).toMatchObject({ status: 'published', editor: winner, revision: 2 });
    }
  });

  it('answers 409 to the loser even when both editors read the pending article before either wrote', async () => {
    // Both reads are held until both have happened, so only the conditional write can tell the editors apart.
    let arrived = 0;
    let release = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lockstep: ArticleStore = {
      ...store,
      async get(id) {
        const found = await store.get(id);
        if (++arrived === 2) release();
        await bothRead;
        return found;
      },
    };
    const deps = { store: lockstep, history, now: () => new Date(), signOff: 'single' as const };
    const settled = await Promise.allSettled([
      reviewSubmissions(withClaims(load('publish'), { 'cognito:username': 'editor-a' }), deps),
      reviewSubmissions(withClaims(load('publish'), { 'cognito:username': 'editor-b' }), deps),
    ]);
    const won = settled.filter((r) => r.status === 'fulfilled');
    const lost = settled.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.status === 'rejected' && toHttpError(lost[0].reason)).toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('Another editor'),
    });
  });
});

describe('POST /api/admin/submissions/{id}/reject', () => {
  it('rejects a pending submission with the reason', async () => {
    const response = await invoke(load('reject'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: SEED_ID, status: 'rejected', revision: 2 });
    expect(await stored(SEED_ID)).toMatchObject({
      status: 'rejected',
      editor: 'admin',
      rejectReason: '稿件与本站栏目定位不符，且缺少可核实的信息来源。',
    });
  });

  it('answers 400 with a field error when the reason is missing', async () => {
    const response = await invoke(load('reject-missing-reason'));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toMatchObject({ code: 'validation_failed', fields: { reason: 'Required.' } });
    expect((await stored(SEED_ID))?.status).toBe('pending');
  });

  it('answers 409 to rejecting a published article, and the article stays published', async () => {
    await invoke(load('publish'));
    const published = await stored(SEED_ID);
    const response = await invoke(load('reject'));
    expect(response.statusCode).toBe(409);
    expect(await stored(SEED_ID)).toEqual(published);
    expect(published).toMatchObject({ status: 'published', listChannel: 'focus/public-welfare' });
  });
});

describe('POST /api/admin/submissions/{id}/unpublish', () => {
  it('takes the article off the channel index, and republishing keeps its URL', async () => {
    const published = await invoke(load('publish'));
    const response = await invoke(load('unpublish'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: SEED_ID, status: 'unpublished', revision: 3 });
    const hidden = await stored(SEED_ID);
    expect(hidden).toMatchObject({ status: 'unpublished', editor: 'admin', revision: 3 });
    expect(hidden).not.toHaveProperty('listChannel');
    expect(hidden).not.toHaveProperty('publishedKey');
    expect(hidden?.publishedAt).toBeDefined();

    // The list counters (site, channel, parent channel) follow the status in the same transaction.
    expect(await listTotals()).toEqual({ '': 0, focus: 0, 'focus/public-welfare': 0 });

    const again = await invoke(load('publish'));
    expect(again.statusCode).toBe(200);
    expect(again.json.url).toBe(published.json.url);
    expect((await stored(SEED_ID))?.listChannel).toBe('focus/public-welfare');
    expect(await listTotals()).toEqual({ '': 1, focus: 1, 'focus/public-welfare': 1 });
  });

  it('answers 409 to unpublishing a pending submission', async () => {
    const response = await invoke(load('unpublish'));
    expect(response.statusCode).toBe(409);
  });
});

describe('article store transitions', () => {
  it('drops the bulk-import marker on an editorial change, so the change renders through the stream', async () => {
    await store.insert(article(hexId(9)), { bulk: '1' });
    expect((await stored(hexId(9)))?._bulk).toBe('1');
    const response = await invoke(forId(load('publish'), hexId(9)));
    expect(response.statusCode).toBe(200);
    expect(await stored(hexId(9))).not.toHaveProperty('_bulk');
  });

  it('lets exactly one of two writes from the same read succeed (the conditional write itself)', async () => {
    const current = await store.get(SEED_ID);
    if (!current) throw new Error('seed missing');
    const expected = { status: current.status, revision: current.revision };
    const publishAs = (editor: string): Article => ({
      ...current,
      status: 'published',
      editor,
      publishedAt: '2026-11-28T05:00:00.000Z',
      updatedAt: '2026-11-28T05:00:00.000Z',
      revision: current.revision + 1,
    });
    const results = await Promise.all([
      store.transition(publishAs('editor-a'), expected),
      store.transition(publishAs('editor-b'), expected),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await stored(SEED_ID))?.editor).toBe(results[0] ? 'editor-a' : 'editor-b');
    // A stale revision never writes, even with the right status.
    expect(await store.transition(publishAs('editor-c'), expected)).toBe(false);
    // The list counters moved once, with the write that won.
    expect(await listTotals()).toEqual({ '': 1, focus: 1, 'focus/public-welfare': 1 });
  });
});
