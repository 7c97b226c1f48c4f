import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrontMatter } from '#infra/ops/front-matter.ts';
import { importDirectory, importSource } from '#infra/ops/import.ts';
import { rebuildLocal } from '#infra/ops/rebuild.ts';
import { markdownSource } from '#infra/ops/sources/markdown.ts';
import type { Source } from '#infra/ops/sources/source.ts';
import { articleFromImport, parsePublishedAt } from '#shared/domain/imported-article.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { emptySiteBucket, emptyTables, siteState } from '../support/site-state.ts';

let rt: TestRuntime;
let dir: string;

const file = (name: string, front: Record<string, string | number>, body: string) => {
  const lines = Object.entries(front).map(
    ([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`,
  );
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, `---\n${lines.join('\n')}\n---\n\n${body}\n`);
};

beforeAll(async () => {
  rt = await startTestRuntime();
  process.env.DATA_DIR = rt.dataDir;
  dir = mkdtempSync(path.join(tmpdir(), 'import-'));
  for (let i = 0; i < 12; i++) {
    file(
      `2022/04/${String(i).padStart(2, '0')}.md`,
      {
        title: `旧文章第${i + 1}篇`,
        channel: i % 2 ? 'focus/public-welfare' : 'law/cases',
        author: i % 3 ? '王敏' : '',
        source: '法治周刊',
        editor: 'admin',
        publishedAt: `2022-04-${String(i + 1).padStart(2, '0')} 09:30:00`,
        views: i * 10,
      },
      `## 小标题\n\n第${i + 1}篇的正文。`,
    );
  }
  writeFileSync(path.join(dir, 'broken.md'), 'title: no front matter fences\n');
  file(
    'unknown-channel.md',
    { title: '频道不存在', channel: 'sports', publishedAt: '2022-04-01T08:00:00+08:00' },
    '正文',
  );
  file(
    'too-long.md',
    { title: '过长', channel: 'opinion', publishedAt: '2022-04-01T08:00:00+08:00' },
    '字'.repeat(100_001),
  );
});

afterAll(async () => {
  await rt.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('front matter and article mapping', () => {
  it('reads quoted and plain values and reports malformed lines', () => {
    expect(parseFrontMatter('---\ntitle: "a: b"\nviews: 3\n---\nbody')).toEqual({
      ok: true,
      data: { title: 'a: b', views: '3' },
      body: 'body',
    });
    expect(parseFrontMatter('---\njust text\n---\n').ok).toBe(false);
    expect(parseFrontMatter('no fences').ok).toBe(false);
  });

  it('reads CMS-style times in the site time zone', () => {
    expect(parsePublishedAt('2022-04-15 18:52:40')).toBe('2022-04-15T18:52:40+08:00');
    expect(parsePublishedAt('2022-04-15T10:52:40Z')).toBe('2022-04-15T10:52:40Z');
    expect(parsePublishedAt('yesterday')).toBeUndefined();
  });

  it('keeps the seed’s date, views and editor', () => {
    const result = articleFromImport(
      {
        title: '在大战大考中守好小店阵地',
        channel: 'focus/public-welfare',
        editor: 'admin',
        publishedAt: '2022-04-15 18:52:40',
        views: '362',
        id: '2a8c6bce1fad40bb',
      },
      '正文',
      'seed.md',
    );
    expect(result).toMatchObject({
      ok: true,
      views: 362,
      article: {
        id: '2a8c6bce1fad40bb',
        status: 'published',
        editor: 'admin',
        publishedAt: '2022-04-15T18:52:40+08:00',
      },
    });
  });
});

describe('npm run import', () => {
  it('imports the valid files, lists each bad one with its reason, and renders the affected pages once', async () => {
    const first = await importDirectory(dir);
    expect(first.written).toHaveLength(12);
    expect(first.errors.map((e) => e.ref).sort()).toEqual(['broken.md', 'too-long.md', 'unknown-channel.md']);
    expect(first.errors.find((e) => e.ref === 'unknown-channel.md')?.reason).toMatch(/channel/);
    expect(first.errors.find((e) => e.ref === 'too-long.md')?.reason).toMatch(/body/);
    const page = await rt.fetch('/focus/public-welfare/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('旧文章第2篇');
    // Bulk writes do not go through the stream one by one.
    expect(rt.stream.stats.delivered).toBe(0);
    // The render was the rebuild's, and left its manifest current: a rebuild now has nothing to render.
    expect(await rebuildLocal({ quiet: true, workers: 0 })).toMatchObject({ rendered: 0, written: 0 });
  });

  it('changes nothing when run again', async () => {
    const again = await importDirectory(dir);
    expect(again.written).toHaveLength(0);
    expect(again.unchanged).toBe(12);
  });
});

/** `source`, aborting `controller` as its `n`th entry is read: Ctrl-C partway through a batch. */
function abortingAt(source: Source, n: number, controller: AbortController): Source {
  function* entries() {
    let read = 0;
    for (const entry of source.entries) {
      if (++read === n) controller.abort();
      yield entry;
    }
  }
  return { ...source, entries: entries() };
}

describe('npm run import stopped partway (Ctrl-C) and run again', () => {
  let uninterrupted: Awaited<ReturnType<typeof siteState>> | undefined;
  // Stopped in the second batch (10 of 12 written), and in the last (all written, nothing rendered yet).
  it.each([
    { stopAt: 7, writtenFirst: 10 },
    { stopAt: 13, writtenFirst: 12 },
  ])(
    'stopped as entry $stopAt is read, it continues and ends in the state of an uninterrupted import',
    async ({ stopAt, writtenFirst }) => {
      // The state the two uninterrupted runs above left; then back to an empty site, as before them.
      uninterrupted ??= await siteState();
      await emptyTables();
      // Deleting published articles is a stream change: let its render (if any) finish before the bucket is emptied.
      await new Promise((r) => setTimeout(r, 200));
      await rt.stream.idle();
      await emptySiteBucket();

      // Batches of 5: the batch in flight when the signal comes is finished, then nothing more.
      const controller = new AbortController();
      const first = await importSource(abortingAt(markdownSource(dir), stopAt, controller), {
        signal: controller.signal,
        batchSize: 5,
      });
      expect(first.interrupted).toBe(true);
      expect(first.written).toHaveLength(writtenFirst);
      // Nothing is rendered by a stopped run: the next one renders.
      expect((await rt.fetch('/focus/public-welfare/')).status).toBe(404);

      const second = await importSource(markdownSource(dir), { batchSize: 5 });
      expect(second.interrupted).toBe(false);
      expect(second.unchanged).toBe(writtenFirst);
      expect(second.written).toHaveLength(12 - writtenFirst);
      expect(second.errors).toHaveLength(3);
      expect(await siteState()).toEqual(uninterrupted);
    },
  );

  it('the command itself: Ctrl-C (SIGINT) stops it with exit code 130, and running it again finishes', async () => {
    uninterrupted ??= await siteState();
    await emptyTables();
    await new Promise((r) => setTimeout(r, 200));
    await rt.stream.idle();
    await emptySiteBucket();

    // `npm run import -- <dir>` as a terminal runs it; SIGINT as soon as it says where it imports to, which is before
    // it reads a file: it then stops after its batch, or in the render that follows.
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/ops/import.ts', dir], {
      env: { ...process.env, DATA_DIR: rt.dataDir, CI: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (!stderr.includes('→') && `${stderr}${chunk}`.includes('→')) child.kill('SIGINT');
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted; run the same command again/);

    const again = await importSource(markdownSource(dir));
    expect(again.interrupted).toBe(false);
    expect(await siteState()).toEqual(uninterrupted);
  });
});
