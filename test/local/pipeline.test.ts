// The whole pipeline through the local runtime, as a newcomer would use it: the seed page is served, a
// submission is published by an editor, and its page follows through the stream and render.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const seedEvent = JSON.parse(
  readFileSync(new URL('../../events/submit/seed-article.json', import.meta.url), 'utf8'),
);
const editor = () => ({ authorization: `Bearer ${rt.editorToken}`, 'content-type': 'application/json' });

async function waitForPage(path: string, timeoutMs = 15_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await rt.fetch(path);
    if (response.status === 200 || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  rt = await startTestRuntime({ seed: true });
});
afterAll(async () => {
  await rt.dispose();
});

describe('local pipeline', () => {
  it('serves the seed article as the seed page shows it', async () => {
    const response = await rt.fetch('/2022/0415/2a8c6bce1fad40bb.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('在大战大考中守好小店阵地');
    expect(html).toContain('2022-04-15 18:52:40');
    expect(html).toMatch(/点击量[:：]\s*(<[^>]+>)*362/);
    expect(html).toMatch(/责任编辑[:：]\s*(<[^>]+>)*admin/);
  });

  it('serves the home page and a paginated channel page from the sample content', async () => {
    expect((await rt.fetch('/')).status).toBe(200);
    const channel = await rt.fetch('/focus/public-welfare/');
    expect(channel.status).toBe(200);
    expect(await channel.text()).toContain('在大战大考中守好小店阵地');
  });

  let url = '';
  it('publishes a submission and serves its page, signed by the editor', async () => {
    const submitted = await rt.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...JSON.parse(seedEvent.body), title: '社区志愿者守护小店阵地' }),
    });
    expect(submitted.status).toBe(201);
    const { id } = await submitted.json();
    const published = await rt.fetch(`/api/admin/submissions/${id}/publish`, {
      method: 'POST',
      headers: editor(),
    });
    expect(published.status).toBe(200);
    const body = await published.json();
    expect(body).toMatchObject({ id, status: 'published' });
    url = body.url;
    expect(url).toMatch(new RegExp(`^/\\d{4}/\\d{4}/${id}\\.html$`));
    const page = await waitForPage(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('社区志愿者守护小店阵地');
    expect(html).toMatch(/责任编辑[:：]\s*(<[^>]+>)*admin/);
    expect(html).not.toContain('reporter@example.cn');
  });

  it('refuses to reject a published article with 409, and the page stays up', async () => {
    const id = url.split('/').pop()?.replace('.html', '') ?? '';
    const rejected = await rt.fetch(`/api/admin/submissions/${id}/reject`, {
      method: 'POST',
      headers: editor(),
      body: JSON.stringify({ reason: '重复稿件' }),
    });
    expect(rejected.status).toBe(409);
    await rt.stream.idle();
    expect((await rt.fetch(url)).status).toBe(200);
  });

  it('keeps articles and pages across a restart', async () => {
    rt = await rt.restart();
    expect((await rt.fetch(url)).status).toBe(200);
    expect((await rt.fetch('/2022/0415/2a8c6bce1fad40bb.html')).status).toBe(200);
  });
});
