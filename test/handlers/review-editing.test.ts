// Editing, revisions, corrections, roles and the audit trail through the review handler, against dynalite (through
// the local proxy that emulates TransactWriteItems).

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler, reviewSubmissions } from '#functions/review/handler.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoHistory, historyPuts } from '#shared/aws/history-store.ts';
import type { Article } from '#shared/domain/article.ts';
import type { ReviewDeps } from '#shared/domain/review.ts';
import { requireEnv } from '#shared/env.ts';
import { toHttpError } from '#shared/http/errors.ts';
import { isApiEvent, lambdaContext, loadEvent } from '../support/events.ts';
import { articleItems, historyItems, resetTables } from '../support/tables.ts';

const SEED_ID = '2a8c6bce1fad40bb';
const tables = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const store = dynamoArticleStore(documentClient, tables.ARTICLES_TABLE, tables.HISTORY_TABLE);
const history = dynamoHistory(documentClient, tables.HISTORY_TABLE);
const twoStep: ReviewDeps = { store, history, now: () => new Date(), signOff: 'two-step' };

const isReviewEvent = (value: unknown): value is APIGatewayProxyEventV2WithJWTAuthorizer => isApiEvent(value);
const load = (name: string) => loadEvent(`review/${name}.json`, isReviewEvent);

const parse = (result: { body?: string | undefined }) => JSON.parse(result.body ?? 'null');
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = await handler(event, lambdaContext('review'));
  return { ...result, json: parse(result) };
};
/** The same call with two-step sign-off, through the raw handler and the error middleware's status mapping. */
const invokeTwoStep = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  try {
    const result = await reviewSubmissions(event, twoStep);
    return { statusCode: result.statusCode, json: parse(result) };
  } catch (error) {
    const e = toHttpError(error);
    if (!e) throw error;
    return { statusCode: e.statusCode, json: { error: { code: e.code, message: e.message } } };
  }
};

const as = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  who: { name: string; sub: string; groups: string },
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const claims = {
    ...event.requestContext.authorizer.jwt.claims,
    sub: who.sub,
    'cognito:username': who.name,
    preferred_username: who.name,
    'cognito:groups': who.groups,
  };
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: { ...event.requestContext.authorizer, jwt: { claims, scopes: [] } },
    },
  };
};
const withBody = (event: APIGatewayProxyEventV2WithJWTAuthorizer, change: Record<string, unknown>) => ({
  ...event,
  body: JSON.stringify({ ...JSON.parse(event.body ?? '{}'), ...change }),
});

const zhang = { name: '张伟', sub: '11111111-aaaa-4bbb-8ccc-000000000001', groups: '[editors]' };
const li = { name: '李娜', sub: '22222222-aaaa-4bbb-8ccc-000000000002', groups: '[editors]' };
const wang = { name: '王芳', sub: '33333333-aaaa-4bbb-8ccc-000000000003', groups: '[editors chief-editors]' };

const seed = (overrides: Partial<Article> = {}): Article => {
  const body = JSON.parse(load('edit').body ?? '{}') as Record<string, string>;
  return {
    id: SEED_ID,
    status: 'published',
    title: body.title ?? '',
    body: (body.body ?? '').replace('高铁站', '动车站'),
    author: '',
    source: '',
    channel: 'focus/public-welfare',
    summary: '',
    submittedAt: '2022-04-15T10:00:00.000Z',
    updatedAt: '2022-04-15T10:52:40.000Z',
    publishedAt: '2022-04-15T10:52:40.000Z',
    editor: 'admin',
    revision: 2,
    ...overrides,
  };
};
const stored = async () => (await articleItems()).find((item) => item.id === SEED_ID);

beforeEach(async () => {
  await store.insert(seed());
});
afterEach(resetTables);

describe('PUT /api/admin/submissions/{id}', () => {
  it('corrects a published article: same URL, 更新时间, a public correction, a saved copy and an audit entry', async () => {
    const response = await invoke(load('edit-correction'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: SEED_ID, status: 'published', revision: 3 });
    const item = await stored();
    expect(item).toMatchObject({
      status: 'published',
      publishedAt: '2022-04-15T10:52:40.000Z',
      listChannel: 'focus/public-welfare',
      revision: 3,
      lastEditor: { name: 'admin', sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      corrections: [{ note: '本文第一段中“动车站”应为“高铁站”,已更正。' }],
    });
    expect(String(item?.body)).toContain('高铁站');
    expect(item?.modifiedAt).toBe(item?.updatedAt);
    const entries = await history.entries(SEED_ID);
    expect(entries).toEqual([
      {
        action: 'correction',
        editor: { name: 'admin', sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
        at: item?.updatedAt,
        revision: 3,
        note: '本文第一段中“动车站”应为“高铁站”,已更正。',
      },
    ]);
    // The text as it stood before (the seed predates history) and the corrected text.
    expect((await history.revisions(SEED_ID)).map((r) => r.revision)).toEqual([2, 3]);
  });

  it('edits a pending submission the same way, and an approved one goes back to pending', async () => {
    await resetTables();
    await store.insert(seed({ status: 'approved', publishedAt: undefined, editor: undefined }));
    const response = await invoke(load('edit'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: SEED_ID, status: 'pending', revision: 3 });
    expect((await stored())?.modifiedAt).toBeUndefined();
  });

  it('answers 409 on a stale revision, naming who saved the newer one and when', async () => {
    expect((await invoke(as(load('edit'), zhang))).statusCode).toBe(200);
    const late = await invoke(as(load('edit'), li));
    expect(late.statusCode).toBe(409);
    expect(late.json.error.code).toBe('conflict');
    expect(late.json.error.message).toMatch(
      /revision 3 was saved by 张伟 at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
    );
    expect((await stored())?.lastEditor).toEqual({ name: '张伟', sub: zhang.sub });
  });

  it('of 50 concurrent edits from the same revision, exactly 1 wins and 49 get 409', async () => {
    const editors = Array.from({ length: 50 }, (_, i) => ({
      name: `编辑${i}`,
      sub: `sub-${i}`,
      groups: '[editors]',
    }));
    const results = await Promise.all(
      editors.map((who, i) => invoke(as(withBody(load('edit'), { summary: `摘要 ${i}` }), who))),
    );
    const won = results.filter((r) => r.statusCode === 200).length;
    const conflicts = results.filter((r) => r.statusCode === 409).length;
    console.log(`50 concurrent edits from revision 2: ${won} won, ${conflicts} got 409`);
    expect(won).toBe(1);
    expect(conflicts).toBe(49);
    // One audit entry and one saved copy for the winner (plus the pre-history copy): the losers wrote nothing.
    expect(await history.entries(SEED_ID)).toHaveLength(1);
    expect((await history.revisions(SEED_ID)).map((r) => r.revision)).toEqual([2, 3]);
    expect((await stored())?.revision).toBe(3);
  });

  it('answers 400 with the 投稿 page field errors, and refuses a correction on an unpublished text', async () => {
    const response = await invoke(load('edit-invalid'));
    expect(response.statusCode).toBe(400);
    expect(response.json.error.fields).toEqual({
      title: 'Must not be empty.',
      channel: 'Unknown channel "focus/nowhere".',
      contact: 'Unknown field.',
    });
    await resetTables();
    await store.insert(seed({ status: 'pending', publishedAt: undefined }));
    const correction = await invoke(load('edit-correction'));
    expect(correction.statusCode).toBe(400);
    expect(correction.json.error.fields).toEqual({
      'correction.note': 'A correction is only for a published article.',
    });
    expect((await stored())?.revision).toBe(2);
    expect(await historyItems()).toEqual([]);
  });

  it('keeps the URL when the channel changes', async () => {
    const response = await invoke(withBody(load('edit'), { channel: 'law/cases' }));
    expect(response.statusCode).toBe(200);
    expect(await stored()).toMatchObject({
      channel: 'law/cases',
      listChannel: 'law/cases',
      publishedAt: '2022-04-15T10:52:40.000Z',
    });
  });
});

describe('revisions, restore and history', () => {
  it('lists the saved copies, reads one, restores it as a new revision, and logs every action', async () => {
    expect((await invoke(as(load('edit'), zhang))).statusCode).toBe(200);
    const list = await invoke(load('revisions'));
    expect(list.statusCode).toBe(200);
    expect(list.json.items).toEqual([
      { revision: 2, editor: { name: 'admin', sub: '' }, at: '2022-04-15T10:52:40.000Z' },
      { revision: 3, editor: { name: '张伟', sub: zhang.sub }, at: expect.any(String), note: '车站名称' },
    ]);
    const old = await invoke(load('revision'));
    expect(old.statusCode).toBe(200);
    expect(old.json).toMatchObject({ id: SEED_ID, revision: 2, channel: 'focus/public-welfare' });
    expect(old.json.body).toContain('动车站');

    const restored = await invoke(as(load('restore'), li));
    expect(restored.statusCode).toBe(200);
    expect(restored.json).toEqual({ id: SEED_ID, revision: 4 });
    expect(String((await stored())?.body)).toContain('动车站');
    const again = await invoke(load('restore'));
    expect(again.statusCode).toBe(409);
    const missing = await invoke(withBody(load('restore'), { revision: 4, from: 9 }));
    expect(missing.statusCode).toBe(404);

    const unpublish = await invoke(load('unpublish'));
    expect(unpublish.statusCode).toBe(200);
    const trail = await invoke(load('history'));
    expect(trail.statusCode).toBe(200);
    expect(trail.json.items.map((e: { action: string; revision: number }) => [e.action, e.revision])).toEqual(
      [
        ['edit', 3],
        ['restore', 4],
        ['unpublish', 5],
      ],
    );
    expect(trail.json.items[1]).toMatchObject({
      editor: { name: '李娜', sub: li.sub },
      note: 'restored revision 2',
    });
  });

  it('answers 404 for an unknown revision or article', async () => {
    const event = load('revision');
    const unknown = await invoke({ ...event, pathParameters: { id: SEED_ID, n: '99' } });
    expect(unknown.statusCode).toBe(404);
    const malformed = await invoke({ ...event, pathParameters: { id: SEED_ID, n: '1e3' } });
    expect(malformed.statusCode).toBe(404);
    const nobody = await invoke({ ...load('history'), pathParameters: { id: 'ffffffffffffffff' } });
    expect(nobody.statusCode).toBe(404);
  });

  it('never overwrites a history item: a second put of the same key is refused', async () => {
    expect((await invoke(load('edit'))).statusCode).toBe(200);
    const [entry] = await history.entries(SEED_ID);
    if (!entry) throw new Error('no audit entry');
    const forged = { audit: { ...entry, note: 'rewritten' } };
    await expect(
      documentClient.send(
        new TransactWriteCommand({ TransactItems: historyPuts(tables.HISTORY_TABLE, SEED_ID, forged) }),
      ),
    ).rejects.toThrow();
    expect((await history.entries(SEED_ID))[0]?.note).toBe('车站名称');
  });
});

describe('roles and sign-off', () => {
  it('answers 403 to a signed-in user in neither group', async () => {
    const response = await invoke(as(load('edit'), { ...zhang, groups: '[readers]' }));
    expect(response.statusCode).toBe(403);
    expect(response.json.error.code).toBe('forbidden');
    const noGroups = load('history');
    const { 'cognito:groups': _dropped, ...claims } = noGroups.requestContext.authorizer.jwt.claims;
    const bare = {
      ...noGroups,
      requestContext: { ...noGroups.requestContext, authorizer: { jwt: { claims, scopes: [] } } },
    };
    expect((await invoke(bare)).statusCode).toBe(403);
  });

  it('single sign-off: any editor publishes, and approval is not used', async () => {
    await resetTables();
    await store.insert(seed({ status: 'pending', publishedAt: undefined }));
    expect((await invoke(load('approve'))).statusCode).toBe(409);
    expect((await invoke(as(load('publish'), zhang))).statusCode).toBe(200);
  });

  it('two-step: an editor approves (初审), a chief editor who did not write the last edit publishes (终审)', async () => {
    await resetTables();
    await store.insert(seed({ status: 'pending', publishedAt: undefined, editor: undefined }));
    // Not yet approved: a chief editor cannot skip 初审.
    expect((await invokeTwoStep(as(load('publish'), wang))).statusCode).toBe(409);
    // The chief editor edits the text, an editor approves it.
    expect((await invokeTwoStep(as(load('edit'), wang))).statusCode).toBe(200);
    const approved = await invokeTwoStep(as(load('approve'), zhang));
    expect(approved).toMatchObject({ statusCode: 200, json: { status: 'approved', revision: 4 } });
    // An editor is not a chief editor; the chief editor wrote the last edit.
    expect((await invokeTwoStep(as(load('publish'), li))).statusCode).toBe(403);
    const own = await invokeTwoStep(as(load('publish'), wang));
    expect(own.statusCode).toBe(403);
    expect(own.json.error.message).toContain('last edit');
    // Another chief editor publishes.
    const chief = { name: '赵强', sub: '44444444-aaaa-4bbb-8ccc-000000000004', groups: '[chief-editors]' };
    const published = await invokeTwoStep(as(load('publish'), chief));
    expect(published).toMatchObject({ statusCode: 200, json: { status: 'published', revision: 5 } });
    expect(await stored()).toMatchObject({
      editor: '赵强',
      editorSub: chief.sub,
      approvedBy: { name: '张伟', sub: zhang.sub },
    });
    const actions = (await history.entries(SEED_ID)).map((e) => `${e.action}:${e.editor.sub}`);
    expect(actions).toEqual([`edit:${wang.sub}`, `approve:${zhang.sub}`, `publish:${chief.sub}`]);
  });

  it('reads the chief editor event as API Gateway delivers the groups claim', async () => {
    await resetTables();
    await store.insert(seed({ status: 'approved', publishedAt: undefined }));
    const response = await invokeTwoStep(load('publish-chief'));
    expect(response.statusCode).toBe(200);
    expect((await stored())?.editor).toBe('王芳');
  });
});

describe('the desk: its session and the live preview of unsaved fields', () => {
  it('GET /api/admin/session says who is signed in and which sign-off the site uses', async () => {
    const single = await invoke(load('session'));
    expect(single.statusCode).toBe(200);
    expect(single.json).toEqual({
      editor: { name: 'admin', sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      groups: ['editors'],
      signOff: 'single',
    });
    const twoStepSession = await invokeTwoStep(as(load('session'), wang));
    expect(twoStepSession.json).toMatchObject({ groups: ['editors', 'chief-editors'], signOff: 'two-step' });
  });

  it('POST …/preview renders the draft with the article template; nothing is stored', async () => {
    const response = await handler(load('preview-draft'), lambdaContext('review'));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body ?? '';
    expect(html).toContain('<h1 id="article-title">在大战大考中守好小店阵地(修改中)</h1>');
    expect(html).toContain('<h2>小标题</h2>');
    // A published article previews what saving would add: the 更正 box and 更新时间.
    expect(html).toContain('class="correction"');
    expect(html).toContain('本文第一段中“动车站”应为“高铁站”，已更正。');
    expect(html).toContain('更新时间');
    expect(await stored()).toMatchObject({ revision: 2, title: seed().title });
    expect(await history.entries(SEED_ID)).toEqual([]);
  });

  it('previews a half-typed draft: an empty title, an unknown channel and a bad photo list keep or show what they can', async () => {
    const draft = withBody(load('preview-draft'), {
      title: '',
      channel: 'no/such-channel',
      images: 'not a list',
      correction: undefined,
      body: '<script>alert(1)</script>只有一段。',
    });
    const response = await handler(draft, lambdaContext('review'));
    expect(response.statusCode).toBe(200);
    const html = response.body ?? '';
    expect(html).toContain('<h1 id="article-title"></h1>');
    // The saved channel's breadcrumb; Markdown HTML stays text.
    expect(html).toContain('公益');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('class="correction"');
  });

  it('answers 400 to a draft that is not a JSON object, and 404 to an unknown article', async () => {
    const notObject = { ...load('preview-draft'), body: '[1, 2]' };
    expect((await invoke(notObject)).statusCode).toBe(400);
    const unknown = load('preview-draft');
    const missing = { ...unknown, pathParameters: { id: 'ffffffffffffffff' } };
    expect((await invoke(missing)).statusCode).toBe(404);
  });
});

describe('the request bodies of edit, restore, schedule and preview-link: every refusal is a 400 naming its fields', () => {
  const REVISION = 'Must be the revision number you loaded (a positive integer).';
  const AT_REQUIRED = 'Required: an ISO 8601 time, e.g. 2026-12-01T07:00:00+08:00.';
  const HOURS = 'Must be a whole number of hours from 1 to 168.';
  const NOT_OBJECT = 'The request must be a JSON object.';
  const edit = JSON.parse(load('edit').body ?? '{}') as Record<string, unknown>;
  const { revision: _revision, ...editWithoutRevision } = edit;
  const cases: [string, string, unknown, Record<string, string>][] = [
    ['edit', 'edit', [edit], { body: NOT_OBJECT }],
    ['edit', 'edit', editWithoutRevision, { revision: REVISION }],
    [
      'edit',
      'edit',
      { ...edit, revision: '2', title: 5, note: 7, x: 1, contact: { name: '读者' } },
      {
        revision: REVISION,
        title: 'Must be a string.',
        note: 'Must be a string.',
        x: 'Unknown field.',
        contact: 'Unknown field.',
      },
    ],
    ['edit', 'edit', { ...edit, correction: '更正' }, { correction: 'Must be an object with a note.' }],
    ['edit', 'edit', { ...edit, correction: {} }, { 'correction.note': 'Required.' }],
    [
      'edit',
      'edit',
      { ...edit, correction: { note: ' ', by: '张伟' } },
      { 'correction.note': 'Must not be empty.', 'correction.by': 'Unknown field.' },
    ],
    ['edit', 'edit', { ...edit, note: '注'.repeat(501) }, { note: 'Must be at most 500 characters.' }],
    ['restore', 'restore', 2, { body: NOT_OBJECT }],
    ['restore', 'restore', {}, { revision: REVISION, from: REVISION }],
    ['restore', 'restore', { revision: 2, from: 1.5, to: 1 }, { from: REVISION, to: 'Unknown field.' }],
    ['schedule', 'schedule', {}, { at: AT_REQUIRED, revision: REVISION }],
    ['schedule', 'schedule', [1], { at: AT_REQUIRED, revision: REVISION }],
    [
      'schedule',
      'schedule',
      { at: 'tomorrow', revision: 0, by: '张伟' },
      {
        at: 'Not a valid ISO 8601 time, e.g. 2026-12-01T07:00:00+08:00.',
        revision: REVISION,
        by: 'Unknown field.',
      },
    ],
    ['schedule', 'schedule', { at: 20261201, revision: 2 }, { at: AT_REQUIRED }],
    ['schedule', 'schedule', { at: '2099-01-01T07:00:00Z', revision: 2 }, { at: 'Must be within 366 days.' }],
    ['preview-link', 'preview-link', [], { body: 'Must be a JSON object or empty.' }],
    ['preview-link', 'preview-link', { hours: 0 }, { hours: HOURS }],
    ['preview-link', 'preview-link', { hours: '2', days: 1 }, { hours: HOURS, days: 'Unknown field.' }],
    ['preview-link', 'preview-link', { hours: 169 }, { hours: HOURS }],
    ['preview-link', 'preview-link', { hours: null }, { hours: HOURS }],
    ['preview (draft)', 'preview-draft', 'draft', { body: NOT_OBJECT }],
  ];

  it.each(cases)('%s (%s event) refuses %j', async (_route, event, body, fields) => {
    const response = await invoke({ ...load(event), body: JSON.stringify(body) });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
    expect(response.json.error.fields).toEqual(fields);
    expect((await stored())?.revision).toBe(2);
    expect(await historyItems()).toEqual([]);
  });

  it('a preview link without a body lives 24 hours; a draft that is not text in a field keeps the saved value', async () => {
    const link = await invoke({ ...load('preview-link'), body: '' });
    expect(link.statusCode).toBe(201);
    expect(Date.parse(link.json.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(Date.parse(link.json.expiresAt) - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const draft = await handler(
      { ...load('preview-draft'), body: JSON.stringify({ title: 5, correction: 'x' }) },
      lambdaContext('review'),
    );
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain(`<h1 id="article-title">${seed().title}</h1>`);
    expect(draft.body).not.toContain('class="correction"');
  });
});
