// `npm run bench:ops`: 4,000 seed-sized Markdown articles imported into the local stack and rebuilt, against two
// baselines in the same run: Eleventy 3 building the same files, and 4,000 raw PutObject calls to the same s3rver
// (the floor for writing that many objects). Also: a second rebuild with nothing changed.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Eleventy from '@11ty/eleventy';
import {
  GetObjectCommand,
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { importDirectory } from '../../infra/ops/import.ts';
import { rebuildLocal } from '../../infra/ops/rebuild.ts';
import { forEachLimited } from '../../shared/concurrency.ts';
import { median } from '../support/stats.ts';
import { writeSeedCorpus } from './corpus.ts';
import { startRuntimeProcess } from './runtime-process.ts';

const COUNT = Number(process.env.COUNT ?? 4000);
const work = mkdtempSync(path.join(tmpdir(), 'ops-bench-'));
const corpus = path.join(work, 'articles');
const dataDir = path.join(work, 'data');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

writeSeedCorpus(corpus, COUNT, ['layout: article.njk']);
console.log(`corpus: ${COUNT} seed-sized Markdown articles in ${corpus}`);

// The local stack runs in its own process, as `npm start` does; the ops commands run here, as they would.
const runtime = await startRuntimeProcess(dataDir);

try {
  const [imported, importMs] = await time(() => importDirectory(corpus));
  const [first, firstMs] = await time(() => rebuildLocal({ force: true }));

  // Baseline 1: the same number of objects, same bytes, put with the same concurrency into the same s3rver.
  const s3 = new S3Client({});
  const bucket = process.env.SITE_BUCKET ?? 'site';
  const keys: string[] = [];
  let marker: string | undefined;
  do {
    const page: ListObjectsCommandOutput = await s3.send(
      new ListObjectsCommand({ Bucket: bucket, Marker: marker }),
    );
    for (const o of page.Contents ?? [])
      if (o.Key?.endsWith('.html') || o.Key?.endsWith('.xml')) keys.push(o.Key);
    marker = page.IsTruncated ? (page.NextMarker ?? page.Contents?.at(-1)?.Key) : undefined;
  } while (marker);
  const bodies = new Map<string, Uint8Array>();
  await forEachLimited(keys, 16, async (key) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    bodies.set(key, (await object.Body?.transformToByteArray()) ?? new Uint8Array());
  });
  const rawPuts = async () =>
    (
      await time(() =>
        forEachLimited(keys, 16, async (key) => {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `raw-baseline/${key}`,
              Body: bodies.get(key),
              ContentType: 'text/html; charset=utf-8',
            }),
          );
        }),
      )
    )[1];

  // A forced rebuild overwrites objects that exist, so the baseline must too: a first, untimed round creates the
  // baseline's keys (creating 4,383 new objects took s3rver about twice as long as overwriting them). Then forced
  // rebuilds and raw puts alternate, so a machine whose speed drifts during the run weighs on both alike.
  const createMs = await rawPuts();
  const ROUNDS = Number(process.env.BENCH_OPS_ROUNDS ?? 5);
  const rebuildMs: number[] = [];
  const rawMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rebuildMs.push((await time(() => rebuildLocal({ force: true, quiet: true })))[1]);
    rawMs.push(await rawPuts());
  }
  const [second, secondMs] = await time(() => rebuildLocal({}));
  const forcedMs = median(rebuildMs);
  const pairedOverhead = median(rebuildMs.map((ms, i) => ms / (rawMs[i] ?? ms)));

  // Baseline 2: Eleventy 3 on the same Markdown files.
  const includes = path.join(corpus, '_includes');
  mkdirSync(includes, { recursive: true });
  writeFileSync(
    path.join(includes, 'article.njk'),
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ content | safe }}</body></html>\n',
  );
  const eleventy = new Eleventy(corpus, path.join(work, '_site'), { quietMode: true });
  const [, eleventyMs] = await time(() => eleventy.write());

  console.log(
    `\nimport: ${imported.written.length} articles written and their pages rendered once: ${seconds(importMs)}`,
  );
  console.log(
    `rebuild (--force, every page): ${first.written} of ${first.pages} pages written: ${seconds(firstMs)}`,
  );
  console.log(`import + rebuild: ${seconds(importMs + firstMs)}`);
  console.log(`Eleventy 3 building the same ${COUNT} files: ${seconds(eleventyMs)}`);
  console.log(`  ratio (import + rebuild) / Eleventy: ${((importMs + firstMs) / eleventyMs).toFixed(2)}×`);
  const list = (xs: readonly number[]) => xs.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  console.log(
    `\nraw PutObject × ${keys.length} creating the baseline's keys (untimed round): ${seconds(createMs)}`,
  );
  console.log(
    `${ROUNDS} alternating rounds, every object overwritten: rebuild --force ${list(rebuildMs)} s; raw PutObject × ${keys.length} (same bytes, same s3rver, concurrency 16) ${list(rawMs)} s`,
  );
  console.log(
    `  rebuild --force, median: ${seconds(forcedMs)}; raw PutObject, median: ${seconds(median(rawMs))}`,
  );
  console.log(
    `  rebuild overhead over raw PutObject: ${(forcedMs / median(rawMs)).toFixed(2)}× (ratio of medians), ${pairedOverhead.toFixed(2)}× (median of per-round ratios) (goal ≤ 1.10×)`,
  );
  console.log(
    `second rebuild, nothing changed: ${second.written} objects written, ${second.rendered} pages rendered, in ${seconds(secondMs)}`,
  );
  console.log(`  ${((secondMs / forcedMs) * 100).toFixed(1)}% of a forced rebuild's median (goal ≤ 10%)`);
  s3.destroy();
} finally {
  await runtime.stop();
  rmSync(work, { recursive: true, force: true });
}
