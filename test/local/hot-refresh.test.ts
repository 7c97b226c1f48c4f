// 点击排行 through the local runtime: views counted through the gateway sit in the views function's tally until the
// runtime's timer flushes it and sends render refresh-hot; then home and the channel pages list the article.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotRefreshSecondsFromEnv, startHotRefresh } from '../../infra/local/hot-refresh.ts';
import { sampleArticles } from '../../infra/local/sample-content.ts';
import { REFRESH_HOT_COMMAND } from '../../shared/domain/views.ts';
import { createLogger } from '../../shared/log.ts';
import { pagePath } from '../../shared/render/dates.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const quiet = createLogger({ service: 'test' }, () => undefined);

describe('HOT_REFRESH_SECONDS', () => {
  it('defaults to 60 s, takes seconds, and 0 turns the timer off; anything else is refused', () => {
    expect(hotRefreshSecondsFromEnv(undefined)).toBe(60);
    expect(hotRefreshSecondsFromEnv('')).toBe(60);
    expect(hotRefreshSecondsFromEnv('5')).toBe(5);
    expect(hotRefreshSecondsFromEnv('0')).toBe(0);
    expect(() => hotRefreshSecondsFromEnv('soon')).toThrow(/HOT_REFRESH_SECONDS must be a number/);
    expect(() => hotRefreshSecondsFromEnv('-1')).toThrow(/HOT_REFRESH_SECONDS/);
  });

  it('flushes the tally, then sends render REFRESH_HOT_COMMAND, on every tick; nothing after stop', async () => {
    const sent: unknown[] = [];
    // A stand-in flush: importing the real views handler here would build its clients before the runtime's env.
    const timer = startHotRefresh({
      seconds: 0.05,
      invoke: async (name, event) => void sent.push([name, event]),
      flush: async () => void sent.push('flush'),
      log: quiet,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await timer.stop();
    const count = sent.length;
    expect(count).toBeGreaterThanOrEqual(4);
    expect(sent.slice(0, 2)).toEqual(['flush', ['render', REFRESH_HOT_COMMAND]]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sent.length).toBe(count);
  });
});

describe('the local runtime timer', () => {
  let rt: TestRuntime;
  const samples = sampleArticles().map((s) => s.article);
  const [first, second] = samples.slice(1, 3);
  beforeAll(async () => {
    rt = await startTestRuntime({ seed: true, hotRefreshSeconds: 0.5 });
  }, 60_000);
  afterAll(async () => {
    await rt?.dispose();
  });

  it('flushes the views tally and refreshes the boxes: home lists the most-viewed article first', async () => {
    if (!first?.publishedAt || !second?.publishedAt) throw new Error('sample content has too few articles');
    const view = (id: string) =>
      rt.fetch(`/api/views/${id}`, {
        method: 'POST',
        headers: { 'user-agent': BROWSER, 'x-view-id': randomUUID() },
      });
    for (const id of [first.id, first.id, first.id, second.id]) {
      const r = await view(id);
      expect(r.status, await r.text()).toBe(200);
    }
    const expected = [first, second].map((a) => pagePath({ id: a.id, publishedAt: a.publishedAt ?? '' }));
    const deadline = Date.now() + 20_000;
    let links: string[] = [];
    while (Date.now() < deadline) {
      const home = await (await rt.fetch('/')).text();
      const day = /aria-labelledby="hot-24h">([\s\S]*?)<\/section>/.exec(home)?.[1] ?? '';
      links = [...day.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
      if (links.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(links).toEqual(expected);
    const channel = await (await rt.fetch(`/${first.channel}/`)).text();
    expect(channel).toContain(`<li><a href="${expected[0]}">`);
  }, 30_000);
});
