// The search index split by year, through the local runtime and the real search function: the newest year is the
// primary index at /pagefind/, older years are under /pagefind/<year>/ and named in /pagefind/indexes.json, and a
// change rebuilds only the years whose articles changed (or whose place, root or merged, changed).
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { s3SearchIndexState } from '#shared/aws/search-state.ts';
import { type ReindexOutcome, reindexIfChanged } from '#shared/search/reindex.ts';
import { searchYear } from '#shared/search/split-index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let r: TestRuntime;
beforeAll(async () => {
  // The sample content: 48 articles from 2022 and 2 from 2021.
  r = await startTestRuntime({ seed: true });
}, 120_000);
afterAll(async () => {
  await r?.dispose();
});

const look = async (force = false) =>
  (await r.invoke('search', { command: 'reindex', ...(force ? { force } : {}) })) as ReindexOutcome;

async function publishNew(title: string): Promise<void> {
  const submitted = await r.fetch('/api/submissions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      body: `${title}。县信访局干部走进乡镇。`,
      author: '王敏',
      channel: 'news/society',
    }),
  });
  expect(submitted.status).toBe(201);
  const { id } = (await submitted.json()) as { id: string };
  const published = await r.fetch(`/api/admin/submissions/${id}/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.editorToken}`, 'content-type': 'application/json' },
  });
  expect(published.status).toBe(200);
}

async function settledLook(): Promise<ReindexOutcome> {
  // Render marks the change when the stream reaches it; look until a look builds.
  for (let i = 0; i < 40; i++) {
    const outcome = await look();
    if (outcome.built) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the change never reached the search index');
}

describe('search index split by year', () => {
  it('builds one index per year, the newest at the root and the others merged', {
    timeout: 120_000,
  }, async () => {
    const first = await look(true);
    expect(first).toMatchObject({ built: true, articles: 50, years: 2, yearsKept: 0, partial: false });
    expect(await (await r.fetch('/pagefind/indexes.json')).json()).toEqual({ merge: ['/pagefind/2021/'] });
    expect((await r.fetch('/pagefind/pagefind-entry.json')).status).toBe(200);
    expect((await r.fetch('/pagefind/2021/pagefind-entry.json')).status).toBe(200);
    // A merged year carries no engine of its own: the browser uses the primary's.
    expect((await r.fetch('/pagefind/2021/pagefind.js')).status).toBe(404);
    const s3 = new S3Client({ endpoint: r.endpoints.s3, forcePathStyle: true });
    const state = await s3SearchIndexState(s3, localNames.SITE_BUCKET).read();
    s3.destroy();
    expect(Object.keys(state?.years ?? {}).sort()).toEqual(['2021', '2022']);
    expect(state?.years?.['2021']?.keys.every((k) => k.startsWith('pagefind/2021/'))).toBe(true);
  });

  it('rebuilds only the years a change touches', { timeout: 180_000 }, async () => {
    const thisYear = searchYear(new Date().toISOString());
    // A first article this year: it becomes the primary, 2022 moves under /pagefind/2022/, 2021 is kept.
    await publishNew('县信访局开展接访下基层活动');
    const moved = await settledLook();
    expect(moved).toMatchObject({ built: true, articles: 49, years: 2, yearsKept: 1 });
    expect(await (await r.fetch('/pagefind/indexes.json')).json()).toEqual({
      merge: ['/pagefind/2022/', '/pagefind/2021/'],
    });
    // Another one this year: only this year is built again.
    await publishNew('县信访局开展第二次接访活动');
    const next = await settledLook();
    expect(next).toMatchObject({ built: true, articles: 2, years: 1, yearsKept: 2 });
    expect(thisYear > '2022').toBe(true);
    // Nothing changed: nothing is built.
    expect(await look()).toEqual({ built: false, reason: 'unchanged' });
  });

  it('stops starting years when out of time and goes on at the next look', { timeout: 120_000 }, async () => {
    // The search function's own wiring (the module the runtime invokes), with no time left after the first year.
    const { productionDeps } = await import('#functions/search/handler.ts');
    const partial = await reindexIfChanged(productionDeps(), { force: true, budgetMs: 0 });
    expect(partial).toMatchObject({ built: true, years: 1, partial: true });
    // The mark was left unbuilt, so the next look builds the years still to do, and only those.
    const rest = await look();
    expect(rest).toMatchObject({ built: true, years: 2, yearsKept: 1, partial: false });
    expect(await look()).toEqual({ built: false, reason: 'unchanged' });
  });
});
