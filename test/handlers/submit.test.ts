import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/submit/handler.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { submissionLimits } from '#shared/domain/submission.ts';
import { requireEnv } from '#shared/env.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';
import { articleItems, historyItems, resetTables } from '../support/tables.ts';

const invoke = async (event: APIGatewayProxyEventV2) => {
  const result = await handler(event, lambdaContext('submit'));
  return { ...result, json: JSON.parse(result.body ?? 'null') };
};

afterEach(resetTables);

describe('POST /api/submissions', () => {
  it('stores the seed article as pending and answers 201 with its id', async () => {
    const response = await invoke(loadApiEvent('submit/seed-article.json'));
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      status: 'pending',
      receipt: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    const items = await articleItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: response.json.id,
      status: 'pending',
      title: '在大战大考中守好小店阵地',
      channel: 'focus/public-welfare',
      author: '',
      source: '',
      contact: { name: '李记者', email: 'reporter@example.cn' },
    });
    expect(items[0]?.listChannel).toBeUndefined();
    expect(String(items[0]?.body)).toContain('## 党员带头 勇担重任');
    // The audit trail's first entry and the text's first saved copy, written with it; never the contact.
    const history = await historyItems();
    expect(history.map((h) => h.entry).sort()).toEqual(['log#0000000001', 'rev#0000000001']);
    expect(history.find((h) => h.entry === 'log#0000000001')).toMatchObject({
      articleId: response.json.id,
      action: 'submit',
      revision: 1,
      editor: { name: 'contributor', sub: 'public' },
    });
    expect(JSON.stringify(history)).not.toContain('reporter@example.cn');
  });

  it('accepts a base64-encoded body, as API Gateway may deliver it', async () => {
    const response = await invoke(loadApiEvent('submit/base64-body.json'));
    expect(response.statusCode).toBe(201);
    expect(await articleItems()).toHaveLength(1);
  });

  it('gives the same id for the same Idempotency-Key and body, and stores one item', async () => {
    const event = loadApiEvent('submit/idempotent-retry.json');
    const first = await invoke(event);
    const retry = await invoke(event);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json.id).toBe(first.json.id);
    expect(await articleItems()).toHaveLength(1);
    expect(await historyItems()).toHaveLength(2);
  });

  it('refuses an Idempotency-Key reused for a different body, and stores nothing new', async () => {
    const event = loadApiEvent('submit/idempotent-retry.json');
    await invoke(event);
    const changed = { ...event, body: (event.body ?? '').replace('社区法律援助站开放', '另一篇稿件') };
    const response = await invoke(changed);
    expect(response.statusCode).toBe(422);
    expect(response.json.error.code).toBe('idempotency_key_reused');
    expect(await articleItems()).toHaveLength(1);
  });

  const rejected: [string, number, string, string[]?][] = [
    ['malformed-json.json', 400, 'invalid_request'],
    ['wrong-content-type.json', 415, 'unsupported_media_type'],
    ['missing-title.json', 400, 'validation_failed', ['title']],
    ['unknown-channel.json', 400, 'validation_failed', ['channel']],
    ['unknown-field.json', 400, 'validation_failed', ['editor', 'views']],
    ['control-character-title.json', 400, 'validation_failed', ['title']],
  ];

  it.each(rejected)('%s gets a JSON %i and stores nothing', async (file, status, code, fields) => {
    const response = await invoke(loadApiEvent(`submit/${file}`));
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
    expect(response.json.error.code).toBe(code);
    expect(typeof response.json.error.message).toBe('string');
    if (fields) expect(Object.keys(response.json.error.fields).sort()).toEqual(fields);
    expect(await articleItems()).toHaveLength(0);
  });

  it('refuses a 300 KiB body with 413 and stores nothing', async () => {
    const event = loadApiEvent('submit/seed-article.json');
    const big = JSON.stringify({ ...JSON.parse(event.body ?? '{}'), body: '字'.repeat(100 * 1024) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(300 * 1024);
    expect(Buffer.byteLength(big)).toBeGreaterThan(submissionLimits.requestBytes);
    const response = await invoke({ ...event, body: big });
    expect(response.statusCode).toBe(413);
    expect(response.json.error.code).toBe('payload_too_large');
    expect(await articleItems()).toHaveLength(0);
  });

  it('never logs contact details', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const response = await invoke(loadApiEvent('submit/seed-article.json'));
    vi.restoreAllMocks();
    expect(response.statusCode).toBe(201);
    const logged = lines.join('');
    expect(logged).toContain('submission accepted');
    expect(logged).not.toContain('reporter@example.cn');
    expect(logged).not.toContain('李记者');
  });

  it('answers 500 without internals when the store fails', async () => {
    const { submit } = await import('#functions/submit/handler.ts');
    const failing = {
      store: {
        ...dynamoArticleStore(documentClient, requireEnv('ARTICLES_TABLE').ARTICLES_TABLE),
        insert: () => Promise.reject(new Error('ProvisionedThroughputExceeded at arn:aws:dynamodb:secret')),
      },
      now: () => new Date(),
    };
    await expect(submit(loadApiEvent('submit/seed-article.json'), failing)).rejects.toThrow();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { default: middy } = await import('@middy/core');
    const { jsonErrors } = await import('#shared/http/api.ts');
    const wrapped = middy((event: APIGatewayProxyEventV2) => submit(event, failing)).use(jsonErrors());
    const result = await wrapped(loadApiEvent('submit/seed-article.json'), lambdaContext('submit'));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('arn:aws');
    expect(JSON.parse(result.body ?? '{}').error.code).toBe('internal_error');
  });
});
