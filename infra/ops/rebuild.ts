// `npm run rebuild [-- --stage name] [--force]`: re-renders every page and writes only changed bytes, then
// invalidates once. Locally, worker threads render while the main thread writes, with a progress bar; against a
// stage, the render function's rebuild command does the work in AWS. Interrupt it and run it again at will:
// pages already written are unchanged the second time and are skipped.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { forEachLimited } from '../../shared/concurrency.ts';
import type { SiteObject } from '../../shared/ports.ts';
import { allPages, type PageRef } from '../../shared/render/affected.ts';
import { buildCatalogue } from '../../shared/render/catalogue.ts';
import { progress } from './progress.ts';
import { parseStage, resolveTarget } from './target.ts';

const SLICE = 100;

export interface RebuildOutcome {
  readonly pages: number;
  readonly written: number;
  readonly interrupted: boolean;
}

export interface RebuildOptions {
  readonly force?: boolean;
  readonly workers?: number;
  /** Pages per slice handed to a worker. */
  readonly sliceSize?: number;
  /** Stops after this many slices, as an interruption would (tests). */
  readonly stopAfterSlices?: number;
  readonly signal?: AbortSignal;
  readonly quiet?: boolean;
}

/** Local rebuild: the render function's own code, fanned out over worker threads. */
export async function rebuildLocal(options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const { productionDeps } = await import('../../functions/render/handler.ts');
  const { snapshotSiteStore } = await import('../../shared/aws/site-store.ts');
  const { s3Client } = await import('../../shared/aws/s3-client.ts');
  const deps = productionDeps();
  const bucket = process.env.SITE_BUCKET ?? '';
  const store = await snapshotSiteStore(s3Client, bucket, options.force);

  let written = 0;
  let assetsWritten = 0;
  for (const asset of deps.context.assets.all) if (await store.put(asset)) assetsWritten++;

  const catalogue = buildCatalogue(await deps.articles.listings());
  const refs = allPages(catalogue);
  const slices: PageRef[][] = [];
  const size = options.sliceSize ?? SLICE;
  for (let i = 0; i < refs.length; i += size) slices.push(refs.slice(i, i + size));
  const limit = Math.min(options.stopAfterSlices ?? slices.length, slices.length);
  const bar = progress({
    label: 'rebuild',
    total: refs.length,
    ...(options.quiet
      ? { stream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream }
      : {}),
  });

  const workerCount = Math.max(1, Math.min(options.workers ?? availableParallelism() - 1, 4, limit));
  const workers = Array.from(
    { length: workerCount },
    () =>
      // tsx compiles the worker's TypeScript, as it does for this process.
      new Worker(new URL('./rebuild-worker.ts', import.meta.url), {
        env: process.env,
        execArgv: ['--import', 'tsx'],
      }),
  );
  const ready = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => resolve());
      }),
  );
  await Promise.all(ready);

  const writtenKeys: string[] = [];
  let nextSlice = 0;
  let interrupted = false;
  const writes: Promise<void>[] = [];
  const runWorker = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const dispatch = () => {
        if (nextSlice >= limit || options.signal?.aborted) {
          if (options.signal?.aborted || limit < slices.length) interrupted = true;
          resolve();
          return;
        }
        const slice = nextSlice++;
        worker.postMessage({ slice, refs: slices[slice] });
      };
      worker.on('message', (message: { objects?: SiteObject[]; error?: string }) => {
        if (message.error) {
          reject(new Error(message.error));
          return;
        }
        const objects = message.objects ?? [];
        // Writing overlaps with the worker rendering its next slice.
        writes.push(
          forEachLimited(objects, 16, async (object) => {
            if (await store.put(object)) {
              written++;
              writtenKeys.push(object.key);
            }
          }).then(() => bar.tick(objects.length)),
        );
        dispatch();
      });
      worker.on('error', reject);
      dispatch();
    });
  try {
    await Promise.all(workers.map(runWorker));
    await Promise.all(writes);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // One invalidation for the whole rebuild (a no-op locally, where there is no CDN).
  await deps.invalidator.invalidate(writtenKeys.map((key) => `/${key}`));
  bar.done(
    `${written} of ${refs.length} pages written, ${assetsWritten} assets${interrupted ? ' (interrupted: run again to finish)' : ''}`,
  );
  return { pages: refs.length, written, interrupted };
}

async function main(): Promise<void> {
  const { stage, rest } = parseStage(process.argv.slice(2));
  const force = rest.includes('--force');
  const unknown = rest.filter((a) => a !== '--force');
  if (unknown.length > 0)
    throw new Error(`unknown argument ${unknown[0]}; usage: npm run rebuild -- [--stage name] [--force]`);
  const target = await resolveTarget(stage);
  console.error(`rebuild → ${target.description}`);
  if (!target.inProcess) {
    const started = performance.now();
    const result = await target.render({ command: 'rebuild', ...(force ? { force } : {}) });
    console.error(
      `rebuild: done in AWS in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(result)}`,
    );
    return;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nrebuild: stopping after the slices in flight… (Ctrl-C again to quit now)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const outcome = await rebuildLocal({ force, signal: controller.signal });
  if (outcome.interrupted) process.exitCode = 130;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
