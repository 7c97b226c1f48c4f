// The streaming sources stopped partway (an abort signal in a batch, and SIGINT to the command) and run again: a
// WordPress WXR and a DedeCMS SQL dump end in the state an uninterrupted import leaves, and a stopped DedeCMS run
// leaves no spool behind.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource, sourceFor } from '#infra/ops/import.ts';
import type { Source } from '#infra/ops/sources/source.ts';
import {
  dedecmsChannels,
  dedecmsRows,
  dedecmsTypes,
  toMysqlDump,
  wordpressChannels,
  wordpressPosts,
  wxr,
} from '../fixtures/migration/generate.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { emptySiteBucket, emptyTables, siteState } from '../support/site-state.ts';

let rt: TestRuntime;
let work: string;
const inputs = {} as Record<'wordpress' | 'dedecms', { input: string; options: Map<string, string> }>;

beforeAll(async () => {
  rt = await startTestRuntime();
  process.env.DATA_DIR = rt.dataDir;
  work = mkdtempSync(path.join(tmpdir(), 'import-streaming-'));
  // Spools go to a folder of this file's own, so other imports running alongside do not count.
  process.env.TMPDIR = path.join(work, 'tmp');
  mkdirSync(process.env.TMPDIR);
  const wpFile = path.join(work, 'export.xml');
  writeFileSync(wpFile, wxr(wordpressPosts(12, [])));
  const wpChannels = path.join(work, 'wp-channels.json');
  writeFileSync(wpChannels, JSON.stringify(wordpressChannels));
  inputs.wordpress = { input: wpFile, options: new Map([['channels', wpChannels]]) };

  const rows = dedecmsRows(12, []);
  const dump = path.join(work, 'dede.sql');
  // mysqldump's order: addonarticle (the bodies) before archives.
  writeFileSync(
    dump,
    iconv.encode(
      toMysqlDump('dede_addonarticle', rows.addonarticle, 5) +
        toMysqlDump('dede_archives', rows.archives, 5) +
        toMysqlDump(
          'dede_arctype',
          dedecmsTypes.map((t) => ({ ...t })),
        ),
      'gbk',
    ),
  );
  const dedeChannels = path.join(work, 'dede-channels.json');
  writeFileSync(dedeChannels, JSON.stringify(dedecmsChannels));
  inputs.dedecms = { input: dump, options: new Map([['channels', dedeChannels]]) };
});

afterAll(async () => {
  await rt.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** `source`, aborting `controller` as its `n`th entry is read: Ctrl-C partway through a batch. */
function abortingAt(source: Source, n: number, controller: AbortController): Source {
  const inner = source.entries[Symbol.iterator]();
  function* entries() {
    try {
      for (let read = 1; ; read++) {
        const next = inner.next();
        if (next.done) return;
        if (read === n) controller.abort();
        yield next.value;
      }
    } finally {
      inner.return?.();
    }
  }
  return { ...source, entries: entries() };
}

const spools = () => readdirSync(tmpdir()).filter((name) => name.startsWith('dedecms-import-')).length;

async function emptySite(): Promise<void> {
  await emptyTables();
  await new Promise((r) => setTimeout(r, 200));
  await rt.stream.idle();
  await emptySiteBucket();
}

describe.each(['wordpress', 'dedecms'] as const)(
  'a streamed %s import stopped partway and run again',
  (from) => {
    let uninterrupted: Awaited<ReturnType<typeof siteState>> | undefined;
    const source = () => sourceFor(from, inputs[from].input, inputs[from].options);

    it('stopped by its signal in its second batch, it continues and ends in the uninterrupted state', async () => {
      await emptySite();
      const whole = await importSource(source(), { batchSize: 5 });
      expect(whole.interrupted).toBe(false);
      expect(whole.written.length).toBeGreaterThan(8);
      uninterrupted = await siteState();
      await emptySite();

      const before = spools();
      const controller = new AbortController();
      const first = await importSource(abortingAt(source(), 7, controller), {
        signal: controller.signal,
        batchSize: 5,
      });
      expect(first.interrupted).toBe(true);
      expect(first.written.length).toBeLessThan(whole.written.length);
      // The source was closed where it stopped: a DedeCMS run's spool is gone with it.
      expect(spools()).toBe(before);

      const second = await importSource(source(), { batchSize: 5 });
      expect(second.interrupted).toBe(false);
      expect(second.unchanged).toBe(first.written.length);
      expect(second.written.length + second.unchanged).toBe(whole.written.length);
      expect(await siteState()).toEqual(uninterrupted);
    }, 600_000);

    it('the command: SIGINT stops it with exit code 130, and running it again finishes', async () => {
      await emptySite();
      const { input, options } = inputs[from];
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'infra/ops/import.ts',
          '--from',
          from,
          input,
          '--channels',
          options.get('channels') ?? '',
        ],
        { env: { ...process.env, DATA_DIR: rt.dataDir, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        if (!stderr.includes('→') && `${stderr}${chunk}`.includes('→')) child.kill('SIGINT');
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(130);
      expect(stderr).toMatch(/interrupted; run the same command again/);

      const again = await importSource(source());
      expect(again.interrupted).toBe(false);
      expect(await siteState()).toEqual(uninterrupted);
    }, 600_000);
  },
);
