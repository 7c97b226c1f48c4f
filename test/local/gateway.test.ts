import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { RuntimeStartError, startRuntime } from '#infra/local/runtime.ts';
import { HOT_RANKINGS_KEY } from '#shared/aws/hot-rankings.ts';
import { contentSecurityPolicy } from '#shared/headers.ts';
import { createLogger } from '#shared/log.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const json = { 'content-type': 'application/json' };
const submission = { title: '网关测试稿件', body: '正文第一段。', author: '', channel: 'opinion' };

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

describe('local gateway', () => {
  it('routes POST /api/submissions to the submit handler with the deployed headers policy', async () => {
    const response = await rt.fetch('/api/submissions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(submission),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'pending' });
    expect(response.headers.get('content-security-policy')).toBe(
      contentSecurityPolicy.replace('; upgrade-insecure-requests', ''),
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses editor routes without the right bearer token, with JSON 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', 'Basic dGVzdA==']) {
      const response = await rt.fetch('/api/admin/submissions', {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized');
    }
  });

  it('passes editor claims to the handler for the right token', async () => {
    const response = await rt.fetch('/api/admin/submissions?status=pending', {
      headers: { authorization: `Bearer ${rt.editorToken}` },
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items.map((i: { title: string }) => i.title)).toContain('网关测试稿件');
  });

  it('answers unknown API routes with JSON 404', async () => {
    const response = await rt.fetch('/api/nothing-here');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('refuses a body over the size limit with 413 and stores nothing', async () => {
    const big = JSON.stringify({ ...submission, body: '字'.repeat(100 * 1024) });
    const response = await rt.fetch('/api/submissions', { method: 'POST', headers: json, body: big });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    const list = await rt.fetch('/api/admin/submissions?status=pending', {
      headers: { authorization: `Bearer ${rt.editorToken}` },
    });
    expect((await list.json()).items).toHaveLength(1);
  });

  it('redirects a directory path without its slash, as the CloudFront function does', async () => {
    const response = await rt.fetch('/focus/public-welfare', { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/focus/public-welfare/');
  });

  it('does not serve the render state (rankings, the rebuild manifest) under any spelling, as the CloudFront function does not', async () => {
    const s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
    await s3.send(
      new PutObjectCommand({ Bucket: localNames.SITE_BUCKET, Key: HOT_RANKINGS_KEY, Body: '{"24h":{}}' }),
    );
    // Every spelling that S3 would decode to the same key, or that differs only in case or slashes.
    const spellings = [
      `/${HOT_RANKINGS_KEY}`,
      '/%5Fstate/hot.json',
      '/%5fstate/hot.json',
      '/_st%61te/hot.json',
      '/%5F%73%74%61%74%65/hot.json',
      '/_state%2Fhot.json',
      '/_state%2fhot.json',
      '//_state/hot.json',
      '/_STATE/hot.json',
      '/_State/hot.json',
      '/%5FSTATE/hot.json',
      '/_state/%68ot.json',
      '/%E0%A4%A/_state/hot.json',
    ];
    const served: string[] = [];
    for (const spelling of spellings) {
      const response = await rt.fetch(spelling);
      if (response.status !== 404 || (await response.text()).includes('24h')) served.push(spelling);
    }
    console.log(`_state spellings tried: ${spellings.length}, served: ${served.length}`);
    expect(served).toEqual([]);
    s3.destroy();
  });

  it('answers a missing page with 404 and the security headers', async () => {
    const response = await rt.fetch('/2099/0101/ffffffffffffffff.html');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('keeps everything across a restart', async () => {
    rt = await rt.restart();
    const list = await rt.fetch('/api/admin/submissions?status=pending', {
      headers: { authorization: `Bearer ${rt.editorToken}` },
    });
    expect((await list.json()).items.map((i: { title: string }) => i.title)).toContain('网关测试稿件');
  });

  it('throttles submissions like the deployed route, with JSON 429', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        rt.fetch('/api/submissions', { method: 'POST', headers: json, body: '{}' }).then((r) => r.status),
      ),
    );
    expect(statuses).toContain(429);
    expect(statuses).toContain(400);
  });
});

describe('start-up errors', () => {
  const log = createLogger({}, () => undefined);

  it('says what to do when the port is busy', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'busy-'));
    const saved = { ...process.env };
    try {
      await expect(startRuntime({ port, dataDir, seed: false, log })).rejects.toThrow(RuntimeStartError);
      await expect(startRuntime({ port, dataDir, seed: false, log })).rejects.toThrow(/PORT=/);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
      Object.assign(process.env, saved);
    }
  });

  it('says what to do when the data dir is broken', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'broken-')), 'not-a-dir');
    writeFileSync(file, 'x');
    await expect(startRuntime({ port: 0, dataDir: file, seed: false, log })).rejects.toThrow(
      /is a file, not a directory/,
    );
  });
});
