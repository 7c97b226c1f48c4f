// 定时发布 and preview links through the review handler, against dynalite: schedule, reschedule, unschedule, the
// scheduler's event (due, stale, early), the embargo in the byChannel index, and preview-link expiry and revocation.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishOnTime, reviewSubmissions } from '#functions/review/handler.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoHistory } from '#shared/aws/history-store.ts';
import { scheduleInput } from '#shared/aws/publish-scheduler.ts';
import type { Article } from '#shared/domain/article.ts';
import { parseScheduleTime, type ScheduledPublish } from '#shared/domain/scheduling.ts';
import { requireEnv } from '#shared/env.ts';
import { errorBody, toHttpError } from '#shared/http/errors.ts';
import type { PublishScheduler } from '#shared/ports.ts';
import { isApiEvent, loadEvent } from '../support/events.ts';
import { articleItems, historyItems, resetTables } from '../support/tables.ts';

const SEED_ID = '2a8c6bce1fad40bb';
const tables = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE');
const store = dynamoArticleStore(documentClient, tables.ARTICLES_TABLE, tables.HISTORY_TABLE);
const history = dynamoHistory(documentClient, tables.HISTORY_TABLE);
const isReviewEvent = (value: unknown): value is APIGatewayProxyEventV2WithJWTAuthorizer => isApiEvent(value);
// The Articles table also holds the list counters (list#<path>): the article is the item with its id.
const seedItem = async () => (await articleItems()).find((item) => item.id === SEED_ID);
const template = loadEvent('review/publish.json', isReviewEvent);

/** An editor's request on the sample event's claims: any route, any body. */
const request = (
  routeKey: string,
  path: Record<string, string>,
  body?: unknown,
): APIGatewayProxyEventV2WithJWTAuthorizer => ({
  ...template,
  routeKey,
  rawPath: routeKey.split(' ')[1]?.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? '') ?? '',
  pathParameters: path,
  requestContext: { ...template.requestContext, routeKey },
  ...(body === undefined
    ? {}
    : { body: JSON.stringify(body), headers: { ...template.headers, 'content-type': 'application/json' } }),
});

let clock = new Date('2026-11-30T00:00:00.000Z');
const fired: { job: ScheduledPublish; at: string }[] = [];
const cancelled: string[] = [];
const recording: PublishScheduler = {
  set: async (job, at) => {
    fired.push({ job, at });
  },
  cancel: async (id) => {
    cancelled.push(id);
  },
};
const deps = {
  store,
  history,
  now: () => clock,
  signOff: 'single' as const,
  scheduler: recording,
};

/** The handler's own error mapping (jsonErrors) answers an HttpError or DomainError with its status and JSON body. */
const call = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = await reviewSubmissions(event, deps).catch((thrown: unknown) => {
    const error = toHttpError(thrown);
    if (!error) throw thrown;
    const headers: Record<string, string> = {};
    return { statusCode: error.statusCode, headers, body: JSON.stringify(errorBody(error)) };
  });
  const html = String(result.headers?.['content-type']).startsWith('text/html');
  return { ...result, json: html ? undefined : JSON.parse(result.body ?? 'null') };
};
const post = (action: string, body?: unknown) =>
  call(request(`POST /api/admin/submissions/{id}/${action}`, { id: SEED_ID }, body));

const article: Article = {
  id: SEED_ID,
  status: 'pending',
  title: '在大战大考中守好小店阵地',
  body: '疫情面前，每个人都是城市的守护者。',
  author: '',
  source: '',
  channel: 'focus/public-welfare',
  summary: '小店区信访局干部在疫情防控一线的故事。',
  submittedAt: '2026-11-28T04:10:05.000Z',
  updatedAt: '2026-11-28T04:10:05.000Z',
  revision: 1,
};

beforeEach(async () => {
  clock = new Date('2026-11-30T00:00:00.000Z');
  fired.length = 0;
  cancelled.length = 0;
  await store.insert(article);
});
afterEach(resetTables);

describe('schedule times', () => {
  it('read a time without an offset in the site time zone (Asia/Shanghai)', () => {
    expect(parseScheduleTime('2026-12-01T07:00')?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(parseScheduleTime('2026-12-01T07:00:00+08:00')?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(parseScheduleTime('2026-12-01T07:00:00Z')?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(parseScheduleTime('2026-02-30T07:00')).toBeUndefined();
    expect(parseScheduleTime('tomorrow')).toBeUndefined();
  });

  it('make an at() schedule in the site time zone that deletes itself, retries and dead-letters', () => {
    const input = scheduleInput(
      { command: 'publish-scheduled', id: SEED_ID, revision: 2 },
      '2026-11-30T23:00:00.000Z',
      {
        group: 'newsroom-publishing',
        roleArn: 'arn:aws:iam::123456789012:role/scheduler',
        dlqArn: 'arn:aws:sqs:ap-east-1:123456789012:schedule-dlq',
        functionArn: () => 'arn:aws:lambda:ap-east-1:123456789012:function:review',
        timeZone: 'Asia/Shanghai',
        retryAttempts: 5,
        maximumEventAgeSeconds: 3600,
      },
    );
    expect(input).toMatchObject({
      Name: `publish-${SEED_ID}`,
      GroupName: 'newsroom-publishing',
      ScheduleExpression: 'at(2026-12-01T07:00:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:lambda:ap-east-1:123456789012:function:review',
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:ap-east-1:123456789012:schedule-dlq' },
      },
    });
    expect(JSON.parse(input.Target.Input)).toEqual({
      command: 'publish-scheduled',
      id: SEED_ID,
      revision: 2,
    });
  });
});

describe('POST …/schedule', () => {
  it('schedules, and the event publishes at the scheduled time with that time on the page', async () => {
    const response = await post('schedule', { at: '2026-12-01T07:00', revision: 1 });
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      id: SEED_ID,
      status: 'scheduled',
      revision: 2,
      at: '2026-11-30T23:00:00.000Z',
    });
    expect(fired).toEqual([
      { job: { command: 'publish-scheduled', id: SEED_ID, revision: 2 }, at: '2026-11-30T23:00:00.000Z' },
    ]);
    // The embargo: nothing readers can reach lists it (byChannel holds published articles only).
    const item = await seedItem();
    expect(item).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-30T23:00:00.000Z' });
    expect(item?.listChannel).toBeUndefined();
    expect(item?.expiresAt).toBeUndefined();

    // Early: a no-op.
    const job = fired[0]?.job as ScheduledPublish;
    expect(await publishOnTime(job, deps)).toMatchObject({ published: false });
    clock = new Date('2026-11-30T23:00:00.400Z');
    const outcome = await publishOnTime(job, deps);
    expect(outcome).toEqual({ published: true, id: SEED_ID, revision: 3, url: `/2026/1201/${SEED_ID}.html` });
    const published = await seedItem();
    expect(published).toMatchObject({
      status: 'published',
      publishedAt: '2026-11-30T23:00:00.000Z',
      editor: 'admin',
      listChannel: 'focus/public-welfare',
    });
    expect(published?.scheduledAt).toBeUndefined();
    const audit = (await historyItems()).filter((h) => String(h.entry).startsWith('log#'));
    expect(audit.map((a) => [a.action, a.note])).toEqual([
      ['schedule', '2026-12-01 07:00:00'],
      ['publish', '定时发布'],
    ]);
    // A second delivery of the same event changes nothing.
    expect(await publishOnTime(job, deps)).toMatchObject({ published: false });
  });

  it('refuses a past time, a stale revision and unknown fields', async () => {
    const past = await post('schedule', { at: '2026-11-29T07:00:00+08:00', revision: 1 });
    expect(past.statusCode).toBe(400);
    expect(past.json.error.fields).toEqual({ at: 'Must be in the future.' });
    expect((await post('schedule', { at: '2026-12-01T07:00', revision: 1, x: 1 })).statusCode).toBe(400);
    expect((await post('schedule', { at: '2026-12-01T07:00', revision: 7 })).statusCode).toBe(409);
    expect(fired).toEqual([]);
  });

  it('reschedules and unschedules; the older events are no-ops', async () => {
    await post('schedule', { at: '2026-12-01T07:00', revision: 1 });
    const later = await post('schedule', { at: '2026-12-01T09:30', revision: 2 });
    expect(later.json).toMatchObject({ status: 'scheduled', revision: 3, at: '2026-12-01T01:30:00.000Z' });
    const off = await post('unschedule');
    expect(off.json).toEqual({ id: SEED_ID, status: 'pending', revision: 4 });
    expect(cancelled).toEqual([SEED_ID]);
    clock = new Date('2026-12-02T00:00:00Z');
    for (const { job } of fired) expect(await publishOnTime(job, deps)).toMatchObject({ published: false });
    expect(await seedItem()).toMatchObject({ status: 'pending' });
    expect((await post('unschedule')).statusCode).toBe(409);
  });

  it('an edit after scheduling takes it off the schedule, so the older text is never published', async () => {
    await post('schedule', { at: '2026-12-01T07:00', revision: 1 });
    const edit = await call(
      request(
        'PUT /api/admin/submissions/{id}',
        { id: SEED_ID },
        {
          revision: 2,
          title: '在大战大考中守好小店阵地（修订）',
          body: article.body,
          author: '',
          channel: article.channel,
        },
      ),
    );
    expect(edit.json).toMatchObject({ status: 'pending', revision: 3 });
    clock = new Date('2026-12-01T00:00:00Z');
    expect(await publishOnTime(fired[0]?.job as ScheduledPublish, deps)).toMatchObject({
      published: false,
      reason: expect.stringContaining('the article is pending'),
    });
    expect((await seedItem())?.listChannel).toBeUndefined();
  });
});

describe('preview links', () => {
  const open = async (url: string) => {
    const token = url.split('/api/previews/')[1] ?? '';
    const event = request('GET /api/previews/{token}', { token });
    const { authorizer: _none, ...anonymous } = event.requestContext;
    return call({
      ...event,
      headers: { host: 'example.cn' },
      requestContext: anonymous as typeof event.requestContext,
    });
  };
  const link = async (body?: unknown) => {
    const response = await post('preview-link', body);
    expect(response.statusCode).toBe(201);
    return response.json as { url: string; expiresAt: string };
  };

  it('show the current text to anyone, noindex and no-store, until they expire (24 hours by default)', async () => {
    const { url, expiresAt } = await link();
    expect(expiresAt).toBe('2026-12-01T00:00:00.000Z');
    const page = await open(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['x-robots-tag']).toBe('noindex, nofollow');
    expect(page.headers?.['cache-control']).toBe('no-store');
    expect(page.body).toContain('在大战大考中守好小店阵地');
    clock = new Date('2026-11-30T23:59:59.000Z');
    expect((await open(url)).statusCode).toBe(200);
    clock = new Date('2026-12-01T00:00:00.000Z');
    const expired = await open(url);
    expect(expired.statusCode).toBe(404);
    expect(expired.json).toEqual({
      error: { code: 'preview_unavailable', message: 'This preview link has expired or was withdrawn.' },
    });
    const short = await link({ hours: 1 });
    expect(short.expiresAt).toBe('2026-12-01T01:00:00.000Z');
  });

  it('are dead once a newer revision is saved, but live through a state change', async () => {
    const { url } = await link();
    await post('schedule', { at: '2026-12-01T07:00', revision: 1 });
    expect((await open(url)).statusCode).toBe(200);
    await call(
      request(
        'PUT /api/admin/submissions/{id}',
        { id: SEED_ID },
        {
          revision: 2,
          title: '新标题',
          body: article.body,
          author: '',
          channel: article.channel,
        },
      ),
    );
    expect((await open(url)).statusCode).toBe(404);
    const fresh = await link();
    expect((await open(fresh.url)).body).toContain('新标题');
  });

  it('are dead once the editor withdraws them; later links work', async () => {
    const first = await link();
    clock = new Date(clock.getTime() + 1000);
    const withdrawn = await call(
      request('DELETE /api/admin/submissions/{id}/preview-links', { id: SEED_ID }),
    );
    expect(withdrawn.statusCode).toBe(200);
    expect((await open(first.url)).statusCode).toBe(404);
    clock = new Date(clock.getTime() + 1000);
    expect((await open((await link()).url)).statusCode).toBe(200);
    const audit = (await historyItems()).filter((h) => String(h.entry).startsWith('log#'));
    expect(audit.map((a) => a.action)).toContain('revoke-previews');
  });

  it('refuse a forged or tampered token', async () => {
    const { url } = await link();
    const [payload = '', signature = ''] = (url.split('/api/previews/')[1] ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 86_400 })).toString('base64url');
    expect((await open(`/api/previews/${longer}.${signature}`)).statusCode).toBe(404);
    expect((await open('/api/previews/not-a-token')).statusCode).toBe(404);
  });

  it('need an editor to make one', async () => {
    const event = request('POST /api/admin/submissions/{id}/preview-link', { id: SEED_ID });
    const { authorizer: _none, ...anonymous } = event.requestContext;
    const response = await call({ ...event, requestContext: anonymous as typeof event.requestContext });
    expect(response.statusCode).toBe(401);
  });
});
