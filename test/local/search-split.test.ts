// The search index split into parts, through the local runtime and the real search function: a part is a year while
// the year fits one (SEARCH_PART_MAX_ARTICLES), else quarters, months, days. The newest part is the primary index at
// /pagefind/, older parts are under /pagefind/<part>/ and named in /pagefind/indexes.json, and a change rebuilds only
// the parts whose articles changed (or whose place, root or merged, changed).
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { s3SearchIndexState } from '#shared/aws/search-state.ts';
import { type ReindexOutcome, reindexIfChanged } from '#shared/search/reindex.ts';
import { SEARCH_RECENT_PARTS, type SplitManifest, searchYear } from '#shared/search/split-index.ts';
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
    expect(first).toMatchObject({ built: true, articles: 50, parts: 2, partsKept: 0, partial: false });
    // The manifest: the primary's year, the merged parts with theirs, and how many of them the default scope takes.
    expect(await (await r.fetch('/pagefind/indexes.json')).json()).toEqual({
      year: '2022',
      parts: [{ path: '/pagefind/2021/', year: '2021' }],
      recent: 1,
    });
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
    expect(moved).toMatchObject({ built: true, articles: 49, parts: 2, partsKept: 1 });
    expect(await (await r.fetch('/pagefind/indexes.json')).json()).toEqual({
      year: thisYear,
      parts: [
        { path: '/pagefind/2022/', year: '2022' },
        { path: '/pagefind/2021/', year: '2021' },
      ],
      recent: 2,
    });
    // Another one this year: only this year is built again.
    await publishNew('县信访局开展第二次接访活动');
    const next = await settledLook();
    expect(next).toMatchObject({ built: true, articles: 2, parts: 1, partsKept: 2 });
    expect(thisYear > '2022').toBe(true);
    // Nothing changed: nothing is built.
    expect(await look()).toEqual({ built: false, reason: 'unchanged' });
  });

  it('stops starting years when out of time and goes on at the next look', { timeout: 120_000 }, async () => {
    // The search function's own wiring (the module the runtime invokes), with no time left after the first year.
    const { productionDeps } = await import('#functions/search/handler.ts');
    const partial = await reindexIfChanged(productionDeps(), { force: true, budgetMs: 0 });
    expect(partial).toMatchObject({ built: true, parts: 1, partial: true });
    // The mark was left unbuilt, so the next look builds the years still to do, and only those.
    const rest = await look();
    expect(rest).toMatchObject({ built: true, parts: 2, partsKept: 1, partial: false });
    expect(await look()).toEqual({ built: false, reason: 'unchanged' });
  });

  it('cuts a year larger than a part into finer periods, and back', { timeout: 240_000 }, async () => {
    const { productionDeps } = await import('#functions/search/handler.ts');
    // At most 10 articles a part: 2022's 48 are cut (quarters, then months, then days), 2021 and this year are not.
    const fine = await reindexIfChanged(productionDeps(), { force: true, maxPerPart: 10 });
    expect(fine).toMatchObject({ built: true, articles: 52, partial: false });
    const manifest = (await (await r.fetch('/pagefind/indexes.json')).json()) as SplitManifest;
    const merge = manifest.parts.map((p) => p.path);
    const cut = merge.filter((p) => p.startsWith('/pagefind/2022-'));
    // More parts than the default scope takes: it is the newest SEARCH_RECENT_PARTS, the primary included.
    expect(manifest.recent).toBe(SEARCH_RECENT_PARTS - 1);
    for (const p of manifest.parts) expect(p.path.startsWith(`/pagefind/${p.year}`)).toBe(true);
    expect(cut.length).toBeGreaterThanOrEqual(5);
    expect(merge).not.toContain('/pagefind/2022/');
    expect(merge.at(-1)).toBe('/pagefind/2021/');
    for (const path of merge) {
      expect(path).toMatch(/^\/pagefind\/\d{4}(-q[1-4]|-\d{2}(-\d{2}(-\d+)?)?)?\/$/);
      expect((await r.fetch(`${path}pagefind-entry.json`)).status).toBe(200);
    }
    // Back to the bound in use: 2022 is one part again and the finer parts' files are deleted.
    const whole = await reindexIfChanged(productionDeps(), { force: true });
    expect(whole).toMatchObject({ built: true, parts: 3, partial: false });
    expect(whole.built && whole.removed).toBeGreaterThan(0);
    expect(
      ((await (await r.fetch('/pagefind/indexes.json')).json()) as SplitManifest).parts.map((p) => p.path),
    ).toEqual(['/pagefind/2022/', '/pagefind/2021/']);
    expect((await r.fetch(`${cut[0]}pagefind-entry.json`)).status).toBe(404);
  });
});
