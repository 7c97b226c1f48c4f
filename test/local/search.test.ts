// The search index through the local runtime: publishes and unpublishes reach it through the stream, render's
// change mark and the search function's look, and a burst of publishes is coalesced into at most two builds.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { s3SearchIndexState } from '#shared/aws/search-state.ts';
import { SEARCH_INDEX_PREFIX } from '#shared/search/publish-index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

// One runtime for the file: handler modules (and their SDK clients) load once per process. Its search timer runs
// every 10 s, the 60 s interval scaled down so that a test takes seconds.
let r: TestRuntime;
beforeAll(async () => {
  r = await startTestRuntime({ searchReindexSeconds: 10 });
}, 120_000);
afterAll(async () => {
  await r?.dispose();
});

/** Looks until a look finds nothing to build: one already running may have read the mark before the change. */
async function settle(rt: TestRuntime): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const builds = rt.search.builds;
    await rt.search.refresh();
    if (rt.search.builds === builds) return;
  }
}

const editor = (r: TestRuntime) => ({
  authorization: `Bearer ${r.editorToken}`,
  'content-type': 'application/json',
});

async function submit(r: TestRuntime, title: string, body: string): Promise<string> {
  for (;;) {
    const response = await r.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, body, author: '王敏', channel: 'news/society' }),
    });
    // The submission route is throttled (5/s, burst 20): a burst of fifty waits its turn as a browser would.
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }
}

async function publish(r: TestRuntime, id: string): Promise<string> {
  const response = await r.fetch(`/api/admin/submissions/${id}/publish`, {
    method: 'POST',
    headers: editor(r),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { url: string }).url;
}

/** What the published index holds: Pagefind's page count, and every fragment's text (gzip, as Pagefind writes). */
async function indexContents(r: TestRuntime): Promise<{ pages: number; fragments: string[] }> {
  const s3 = new S3Client({ endpoint: r.endpoints.s3, forcePathStyle: true });
  try {
    const state = await s3SearchIndexState(s3, localNames.SITE_BUCKET).read();
    const read = async (key: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: localNames.SITE_BUCKET, Key: key }));
      return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    };
    const entry = JSON.parse((await read(`${SEARCH_INDEX_PREFIX}pagefind-entry.json`)).toString()) as {
      languages: Record<string, { page_count: number }>;
    };
    const fragmentKeys = (state?.keys ?? []).filter((k) => k.includes('/fragment/'));
    const fragments = await Promise.all(fragmentKeys.map(async (k) => gunzipSync(await read(k)).toString()));
    return {
      pages: Object.values(entry.languages).reduce((sum, l) => sum + l.page_count, 0),
      fragments,
    };
  } finally {
    s3.destroy();
  }
}

describe('search index in the local runtime', () => {
  it('adds a published article at the next look, and an unpublish takes it out at the one after', async () => {
    const id = await submit(r, '县信访局开展接访下基层活动', '县信访局干部走进乡镇，面对面倾听群众诉求。');
    const url = await publish(r, id);
    await r.stream.idle();
    await settle(r);
    const before = await indexContents(r);
    expect(before.pages).toBe(1);
    expect(before.fragments.some((f) => f.includes(url) && f.includes('接访下基层'))).toBe(true);

    const unpublished = await r.fetch(`/api/admin/submissions/${id}/unpublish`, {
      method: 'POST',
      headers: editor(r),
      body: JSON.stringify({ reason: '内容有误' }),
    });
    expect(unpublished.status).toBe(200);
    await r.stream.idle();
    expect((await r.fetch(url)).status).toBe(404);
    const builds = r.search.builds;
    await settle(r);
    expect(r.search.builds).toBeGreaterThan(builds);
    const after = await indexContents(r);
    expect(after.pages).toBe(0);
    expect(after.fragments.some((f) => f.includes(url))).toBe(false);
    // Its fragment was deleted from the bucket, not only left out of the entry file.
    expect(after.fragments).toHaveLength(0);

    // Nothing changed since: the next look does not build.
    const settled = r.search.builds;
    await r.search.refresh();
    expect(r.search.builds).toBe(settled);
  }, 120_000);

  it('coalesces 50 publishes into at most two builds, and indexes all fifty', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++)
      ids.push(await submit(r, `第${i + 1}期劳动争议调解案例`, `劳动争议调解员讲述第${i + 1}个案例。`));
    // Whatever the timer built before the publishes is not counted.
    await settle(r);
    const before = r.search.builds;
    await Promise.all(ids.map((id) => publish(r, id)));
    await r.stream.idle();
    const deadline = Date.now() + 60_000;
    let pages = 0;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pages = (await indexContents(r).catch(() => ({ pages: 0 }))).pages;
      if (pages === 50) break;
    }
    // The fifty, and nothing else: the first test's article was unpublished.
    expect(pages).toBe(50);
    const builds = r.search.builds - before;
    expect(builds).toBeGreaterThanOrEqual(1);
    expect(builds).toBeLessThanOrEqual(2);
  }, 180_000);
});
