// shared/log.ts: the functions' logger and requestLogging(), the middleware that ties every line of an invocation
// to its Lambda request id (and an API event's own id), and lets go of it when the invocation ends.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, logger, requestLogging } from '#shared/log.ts';

const contextFor = (awsRequestId: string): Context =>
  ({ awsRequestId, functionName: 'newsroom-review' }) as unknown as Context;

/** Every JSON line written to stdout while `run` runs. */
async function linesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const handler = middy<{ requestContext?: { requestId?: string }; fail?: boolean }, string>()
  .use(requestLogging())
  .handler(async (event) => {
    logger.info('handled');
    logger.child({ articleId: 'a1' }).warn('from a child');
    if (event.fail) throw new Error('boom');
    return 'ok';
  });

afterEach(() => vi.restoreAllMocks());

describe('requestLogging', () => {
  it('puts the request ids, the function and the cold start on every line of an invocation, children included', async () => {
    const first = await linesOf(() =>
      handler({ requestContext: { requestId: 'api-1' } }, contextFor('lambda-1')),
    );
    expect(first).toHaveLength(2);
    for (const line of first) {
      expect(line).toMatchObject({
        service: expect.any(String),
        function_name: 'newsroom-review',
        function_request_id: 'lambda-1',
        requestId: 'api-1',
        cold_start: true,
      });
    }
    expect(first[1]).toMatchObject({ level: 'warn', message: 'from a child', articleId: 'a1' });

    const second = await linesOf(() => handler({}, contextFor('lambda-2')));
    expect(second[0]).toMatchObject({ function_request_id: 'lambda-2', cold_start: false });
    expect(second[0]).not.toHaveProperty('requestId');
  });

  it('forgets the invocation once it is answered or has failed', async () => {
    for (const event of [{}, { fail: true }]) {
      await linesOf(() => handler(event, contextFor('lambda-3')));
      const after = await linesOf(async () => logger.info('between invocations'));
      expect(after[0]).toMatchObject({ message: 'between invocations' });
      expect(after[0]).not.toHaveProperty('function_request_id');
    }
  });
});

describe('createLogger', () => {
  it('writes one JSON line per entry with its base fields, and serialises errors', () => {
    const lines: string[] = [];
    const log = createLogger({ component: 'test' }, (line) => lines.push(line));
    log.error('failed', { error: new TypeError('bad') });
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'error', message: 'failed', component: 'test' });
    expect(entry.error).toMatchObject({ name: 'TypeError', message: 'bad', stack: expect.any(String) });
  });
});
