// Contributor receipts: POST /api/submissions answers with a receipt, GET /api/submissions/{id} with X-Receipt looks
// the submission up in each state, and every wrong, missing or unknown case is the same 404.
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as review } from '#functions/review/handler.ts';
import { handler as submit } from '#functions/submit/handler.ts';
import { RECEIPT_HASH, RECEIPT_SALT } from '#shared/domain/receipts.ts';
import { isApiEvent, lambdaContext, loadApiEvent, loadEvent } from '../support/events.ts';
import { articleItems, resetTables } from '../support/tables.ts';

type Json = Record<string, unknown>;

// The review events carry the JWT authorizer's claims.
const isReviewEvent = (value: unknown): value is APIGatewayProxyEventV2WithJWTAuthorizer => isApiEvent(value);

const call = async (fn: typeof submit, event: APIGatewayProxyEventV2) => {
  const result = await fn(event, lambdaContext('submit'));
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    json: JSON.parse(result.body ?? 'null') as Json,
  };
};

const sendSubmission = () => call(submit, loadApiEvent('submit/seed-article.json'));

const lookUp = (id: string, receipt: string | undefined) => {
  const event = loadApiEvent('submit/status-lookup.json');
  const headers = Object.fromEntries(
    Object.entries(event.headers).filter(([name]) => name !== 'x-receipt'),
  ) as Record<string, string>;
  if (receipt !== undefined) headers['x-receipt'] = receipt;
  return call(submit, {
    ...event,
    rawPath: `/api/submissions/${id}`,
    pathParameters: { id },
    headers,
  });
};

/** The editors' decisions, through the review handler with the sample events' claims. */
const decide = async (id: string, event: string, body?: Json) => {
  const template = loadEvent(`review/${event}.json`, isReviewEvent);
  const result = await review(
    {
      ...template,
      rawPath: template.rawPath.replace('2a8c6bce1fad40bb', id),
      pathParameters: { id },
      ...(body ? { body: JSON.stringify(body) } : {}),
    },
    lambdaContext('review'),
  );
  expect(result.statusCode).toBe(200);
};

afterEach(resetTables);

describe('receipts', () => {
  it('are issued on submission, stored only as a hash, and look up 待审', async () => {
    const sent = await sendSubmission();
    expect(sent.status).toBe(201);
    const { id, receipt } = sent.json as { id: string; receipt: string };
    expect(receipt).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [item] = await articleItems();
    expect(JSON.stringify(item)).not.toContain(receipt);
    expect(item?.[`_${RECEIPT_HASH}`]).toEqual(expect.any(String));

    const found = await lookUp(id, receipt);
    expect(found.status).toBe(200);
    expect(found.json).toEqual({ id, status: 'pending' });
    expect(found.headers['cache-control']).toBe('no-store');
  });

  it('show a published submission with its URL, and never the contact details', async () => {
    const { id, receipt } = (await sendSubmission()).json as { id: string; receipt: string };
    await decide(id, 'publish');
    const found = await lookUp(id, receipt);
    expect(found.status).toBe(200);
    expect(found.json).toEqual({
      id,
      status: 'published',
      url: expect.stringMatching(new RegExp(`^/\\d{4}/\\d{4}/${id}\\.html$`)),
    });
    expect(JSON.stringify(found.json)).not.toMatch(/reporter@example\.cn|李记者/);
  });

  it('show a rejection with its reason, and an unpublished article as such', async () => {
    const rejected = (await sendSubmission()).json as { id: string; receipt: string };
    await decide(rejected.id, 'reject', { reason: '与本站栏目不符。' });
    expect((await lookUp(rejected.id, rejected.receipt)).json).toEqual({
      id: rejected.id,
      status: 'rejected',
      reason: '与本站栏目不符。',
    });

    await resetTables();
    const withdrawn = (await sendSubmission()).json as { id: string; receipt: string };
    await decide(withdrawn.id, 'publish');
    await decide(withdrawn.id, 'unpublish', { reason: '当事人要求撤下。' });
    expect((await lookUp(withdrawn.id, withdrawn.receipt)).json).toEqual({
      id: withdrawn.id,
      status: 'unpublished',
    });
  });

  it('answer the same 404 for a wrong receipt, a missing one and an unknown id', async () => {
    const { id, receipt } = (await sendSubmission()).json as { id: string; receipt: string };
    const wrong = `${receipt.slice(0, -1)}${receipt.endsWith('A') ? 'B' : 'A'}`;
    const answers = [
      await lookUp(id, wrong),
      await lookUp(id, undefined),
      await lookUp(id, ''),
      await lookUp('0123456789abcdef', receipt),
      await lookUp('not-an-id', receipt),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: { code: 'not_found', message: 'The submission was not found.' } });
    }
  });

  it('give an idempotent retry the same receipt; the table holds its salt, never the key', async () => {
    const event = loadApiEvent('submit/idempotent-retry.json');
    const first = await call(submit, event);
    const retry = await call(submit, event);
    expect(retry.json.id).toBe(first.json.id);
    expect(retry.json.receipt).toBe(first.json.receipt);
    const [item] = await articleItems();
    expect(item?.[`_${RECEIPT_SALT}`]).toEqual(expect.any(String));
    expect(JSON.stringify(item)).not.toContain(String(event.headers['idempotency-key']));
    expect((await lookUp(String(first.json.id), String(first.json.receipt))).status).toBe(200);
  });
});
