// 定时发布 through the local runtime: an article scheduled a few seconds ahead is embargoed (no page, not on its
// channel page or in the feed, its receipt says 待发布) until its time, then published with the scheduled time on
// its page; one whose time passes while the runtime is stopped is published on the next start. The latency goal
// (served within 1.5 s of its time) is measured by `npm run bench:schedule`.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePath, displayTime } from '../../shared/domain/urls.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const seedEvent = JSON.parse(
  readFileSync(new URL('../../events/submit/seed-article.json', import.meta.url), 'utf8'),
);
const editor = () => ({ authorization: `Bearer ${rt.editorToken}`, 'content-type': 'application/json' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function submit(title: string): Promise<{ id: string; receipt: string }> {
  const body = JSON.parse(seedEvent.body);
  const response = await rt.fetch('/api/submissions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, title }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; receipt: string };
}

/** Schedules `id` (revision 1) `seconds` from the next whole second; returns the ISO time. */
async function schedule(id: string, seconds: number): Promise<string> {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000).toISOString();
  const response = await rt.fetch(`/api/admin/submissions/${id}/schedule`, {
    method: 'POST',
    headers: editor(),
    body: JSON.stringify({ at, revision: 1 }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ id, status: 'scheduled', at });
  return at;
}

async function waitForPage(path: string, timeoutMs = 15_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await rt.fetch(path);
    if (response.status === 200 || Date.now() > deadline) return response;
    await sleep(25);
  }
}

beforeAll(async () => {
  rt = await startTestRuntime({ seed: false });
});
afterAll(async () => {
  await rt.dispose();
});

describe('scheduled publishing in the local runtime', () => {
  it('keeps a scheduled article embargoed until its time, then serves it with that time', async () => {
    const { id, receipt } = await submit('定时发布的稿件');
    const at = await schedule(id, 4);
    const path = articlePath({ id, publishedAt: at });
    expect(rt.publishTimers.armed().get(id)).toEqual({ at, revision: 2 });

    // Before its time: no page, not on the channel page, not in the feed; its receipt says 待发布.
    let before = 0;
    while (Date.parse(at) - Date.now() > 300) {
      expect((await rt.fetch(path)).status).toBe(404);
      before++;
      await sleep(200);
    }
    expect(before).toBeGreaterThan(5);
    expect(await (await rt.fetch('/focus/public-welfare/')).text()).not.toContain(id);
    expect(await (await rt.fetch('/feed.xml')).text()).not.toContain(id);
    const status = await rt.fetch(`/api/submissions/${id}`, { headers: { 'x-receipt': receipt } });
    expect(await status.json()).toEqual({ id, status: 'scheduled' });

    const page = await waitForPage(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('定时发布的稿件');
    expect(html).toContain(displayTime(at));
    expect(await (await rt.fetch('/feed.xml')).text()).toContain(id);
  });

  it('publishes on the next start an article whose time came while the runtime was stopped', async () => {
    const { id } = await submit('停机期间到期的稿件');
    const at = await schedule(id, 2);
    await rt.stop();
    await sleep(Math.max(0, Date.parse(at) - Date.now()) + 500);
    rt = await rt.restart();
    const path = articlePath({ id, publishedAt: at });
    const page = await waitForPage(path);
    expect(page.status).toBe(200);
    // The page keeps the scheduled time, not the time of the restart.
    expect(await page.text()).toContain(displayTime(at));
    const history = await rt.fetch(`/api/admin/submissions/${id}/history`, { headers: editor() });
    const actions = ((await history.json()) as { items: { action: string; note?: string }[] }).items;
    expect(actions.map((a) => a.action)).toEqual(['submit', 'schedule', 'publish']);
  });

  it('arms a restarted runtime with the schedules still ahead, and unscheduling disarms them', async () => {
    const { id } = await submit('明天发布的稿件');
    const at = await schedule(id, 3600);
    rt = await rt.restart();
    expect(rt.publishTimers.armed().get(id)).toEqual({ at, revision: 2 });
    const off = await rt.fetch(`/api/admin/submissions/${id}/unschedule`, {
      method: 'POST',
      headers: editor(),
    });
    expect(await off.json()).toMatchObject({ id, status: 'pending' });
    expect(rt.publishTimers.armed().has(id)).toBe(false);
    const queue = await rt.fetch('/api/admin/submissions?status=scheduled', { headers: editor() });
    expect(((await queue.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
