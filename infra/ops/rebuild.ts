// `npm run rebuild [-- --stage name] [--force | --verify]`: re-renders every page whose inputs changed and writes
// only changed bytes, then invalidates once. Locally, a manifest (infra/ops/rebuild-manifest.ts) says which pages
// would come out the same; the rest are rendered while the main thread writes, with a progress bar. Against a stage,
// the render function's rebuild command does the work in AWS. Interrupt it and run it again at will: pages already
// written are recorded in the manifest and skipped the second time.

import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { requireEnv } from '../../shared/env.ts';
import { allPages, type PageRef, refId } from '../../shared/render/affected.ts';
import { buildCatalogue } from '../../shared/render/catalogue.ts';
import { pageInputDigests, renderVersion } from '../../shared/render/page-inputs.ts';
import { progress } from './progress.ts';
import { readManifest, renderCodeDigest, writeManifest } from './rebuild-manifest.ts';
import type { WorkerRequest } from './rebuild-worker.ts';
import type { RenderedPage } from './render-slice.ts';
import { parseStage, resolveTarget } from './target.ts';

const SLICE = 100;
/** PutObject calls in flight, as the raw baseline of the benchmark uses. */
const WRITES_IN_FLIGHT = 16;
/** Longest stretch of rendering on the main thread before the answers to its writes are let in. */
const RENDER_BUDGET_MS = 2;

export interface RebuildOutcome {
  readonly pages: number;
  /** Pages rendered; the others had the same inputs and bytes as the manifest records. */
  readonly rendered: number;
  readonly written: number;
  readonly interrupted: boolean;
}

export interface RebuildOptions {
  /** Render and write every page, whatever the manifest and the bucket say. */
  readonly force?: boolean;
  /** Also list the bucket, and render again pages whose stored bytes are not those the manifest recorded. */
  readonly verify?: boolean;
  /**
   * Worker threads; 0 renders on the main thread. By default two fewer than the cores (at most 4): the main thread
   * is busy with the SDK's PutObject calls and the local S3 server needs a core, so on 2 cores a worker (its own
   * tsx and render modules) made a 4,000-article rebuild slower, 12–15 s against 10 s on the main thread. A worker
   * pre-bundled with esbuild started no faster (0.5–1 s, 0.7–1.3 s of CPU: loading the SDK and markdown-it).
   */
  readonly workers?: number;
  /** Pages per slice handed to a renderer. */
  readonly sliceSize?: number;
  /** Stops after this many slices, as an interruption would (tests). */
  readonly stopAfterSlices?: number;
  readonly signal?: AbortSignal;
  readonly quiet?: boolean;
}

/** Writes with a bounded number in flight, across slices, so a slice boundary never drains the pipe. */
function writePool<T>(limit: number, write: (item: T) => Promise<void>) {
  const queue: T[] = [];
  let active = 0;
  let failure: unknown;
  let waiters: (() => void)[] = [];
  const notify = () => {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  const pump = () => {
    while (active < limit && queue.length > 0 && failure === undefined) {
      const item = queue.shift() as T;
      active++;
      write(item)
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          active--;
          pump();
          notify();
        });
    }
  };
  const until = async (done: () => boolean) => {
    while (!done() && failure === undefined) await new Promise<void>((r) => waiters.push(r));
    if (failure !== undefined) throw failure;
  };
  return {
    push(items: readonly T[]) {
      queue.push(...items);
      pump();
    },
    /** Waits until at most `n` items are queued or in flight. */
    below: (n: number) => until(() => queue.length + active <= n),
    drained: () => until(() => queue.length === 0 && active === 0),
  };
}

/** Sends `request` (if any) and waits for the worker's next message. */
const ask = (worker: Worker, request?: WorkerRequest) =>
  new Promise<{ pages?: RenderedPage[]; error?: string }>((resolve, reject) => {
    const onMessage = (message: { pages?: RenderedPage[]; error?: string }) => {
      worker.off('error', onError);
      resolve(message);
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    if (request) worker.postMessage(request);
  });

/** Local rebuild: the render function's own code, fanned out over worker threads. */
export async function rebuildLocal(options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const { productionDeps } = await import('../../functions/render/handler.ts');
  const { HEAD_COMPARISONS_UP_TO, snapshotSiteStore, s3SiteStore } = await import(
    '../../shared/aws/site-store.ts'
  );
  const { s3Client } = await import('../../shared/aws/s3-client.ts');
  const { renderSlice, timeSlices } = await import('./render-slice.ts');
  const env = requireEnv('SITE_BUCKET');
  const deps = productionDeps();
  const force = options.force ?? false;
  const verify = !force && (options.verify ?? false);

  // Everything the pages depend on, read once: listings (no bodies), rankings, every view total and the manifest.
  const [listings, hot, views, manifest, listed] = await Promise.all([
    deps.articles.listings(),
    deps.hot.rankings.read(),
    deps.views.all(),
    readManifest(s3Client, env.SITE_BUCKET),
    verify ? snapshotSiteStore(s3Client, env.SITE_BUCKET) : undefined,
  ]);

  const catalogue = buildCatalogue(listings);
  const refs = allPages(catalogue);
  const inputsOf = pageInputDigests({
    catalogue,
    views,
    hot,
    version: renderVersion(deps.context, renderCodeDigest()),
  });
  const inputs = new Map(refs.map((ref) => [refId(ref), inputsOf(ref)]));
  let manifestChanged = false;
  for (const id of manifest.keys()) {
    if (!inputs.has(id)) manifestChanged = manifest.delete(id);
  }
  // The bucket is private and only render writes it, so by default the manifest is trusted for what it holds;
  // --verify checks that against a listing too.
  const pending = refs.filter((ref) => {
    if (force) return true;
    const entry = manifest.get(refId(ref));
    return (
      !entry ||
      entry.inputs !== inputs.get(refId(ref)) ||
      (listed !== undefined && listed.etagOf(entry.key) !== entry.etag)
    );
  });
  // Rendered pages are still written only when their bytes changed: a few are compared by HEAD, many against one
  // listing; forced, everything is written.
  const store =
    listed ??
    (force || pending.length > HEAD_COMPARISONS_UP_TO
      ? await snapshotSiteStore(s3Client, env.SITE_BUCKET, force)
      : s3SiteStore(s3Client, env.SITE_BUCKET));
  const etagOf = 'etagOf' in store ? store.etagOf : undefined;
  let assetsWritten = 0;
  for (const asset of deps.context.assets.all) if (await store.put(asset)) assetsWritten++;

  const size = options.sliceSize ?? SLICE;
  const slices: PageRef[][] = [];
  for (let i = 0; i < pending.length; i += size) slices.push(pending.slice(i, i + size));
  const limit = Math.min(options.stopAfterSlices ?? slices.length, slices.length);
  const bar = progress({
    label: 'rebuild',
    total: pending.length,
    ...(options.quiet
      ? { stream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream }
      : {}),
  });

  let written = 0;
  let rendered = 0;
  const writtenKeys: string[] = [];
  const writes = writePool<RenderedPage>(WRITES_IN_FLIGHT, async (page) => {
    if (await store.put(page.object)) {
      written++;
      writtenKeys.push(page.object.key);
    }
    // Recorded only once the bytes are in the bucket; a page with photos still processing is not recorded, so the
    // next rebuild renders it again.
    // The ETag S3 gave the write (or listed, when the bytes were unchanged); hashed here only without a listing.
    const etag = etagOf?.(page.object.key) ?? createHash('md5').update(page.object.body).digest('hex');
    const inputsDigest = inputs.get(page.ref);
    if (page.settled && inputsDigest)
      manifest.set(page.ref, { key: page.object.key, inputs: inputsDigest, etag });
    else manifest.delete(page.ref);
    manifestChanged = true;
    bar.tick();
  });
  const accept = async (pages: RenderedPage[]) => {
    rendered += pages.length;
    writes.push(pages);
    // Rendering may run ahead of writing by a few slices, no more: bodies of a large site never sit in memory.
    await writes.below(WRITES_IN_FLIGHT + 4 * size);
  };

  let nextSlice = 0;
  const take = (): PageRef[] | undefined =>
    nextSlice < limit && !options.signal?.aborted ? slices[nextSlice++] : undefined;
  const sliceViews = (part: readonly PageRef[]): [string, number][] =>
    part.flatMap((r) => (r.kind === 'article' ? [[r.id, views.get(r.id) ?? 0] as [string, number]] : []));

  // Worker threads pay off only for enough pages: each one starts its own tsx and render module.
  const workerCount =
    limit < 4 ? 0 : Math.max(0, Math.min(options.workers ?? availableParallelism() - 2, 4, limit));
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < workerCount; i++) {
      // tsx compiles the worker's TypeScript, as it does for this process.
      workers.push(
        new Worker(new URL('./rebuild-worker.ts', import.meta.url), {
          env: process.env,
          execArgv: ['--import', 'tsx'],
        }),
      );
    }
    let workersReady = workerCount === 0;
    const runWorker = async (worker: Worker) => {
      await ask(worker);
      workersReady = true;
      worker.postMessage({ init: { listings, hot } } satisfies WorkerRequest);
      for (let part = take(); part; part = take()) {
        const message = await ask(worker, { refs: part, views: sliceViews(part) });
        if (message.error) throw new Error(message.error);
        await accept(message.pages ?? []);
      }
    };
    // The main thread renders until the first worker is up (or alone, without workers).
    const runMain = async () => {
      const pause = timeSlices(RENDER_BUDGET_MS);
      while (workerCount === 0 || !workersReady) {
        const part = take();
        if (!part) return;
        await accept(await renderSlice(deps, { catalogue, hot, views }, part, pause));
        // Lets a worker's ready message through between slices.
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([runMain(), ...workers.map(runWorker)]);
    await writes.drained();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    if (manifestChanged) await writeManifest(s3Client, env.SITE_BUCKET, manifest);
  }
  const interrupted = nextSlice < slices.length;
  // One invalidation for the whole rebuild (a no-op locally, where there is no CDN).
  await deps.invalidator.invalidate(writtenKeys.map((key) => `/${key}`));
  bar.done(
    `${written} of ${refs.length} pages written (${rendered} rendered, ${refs.length - pending.length} unchanged since the last rebuild), ${assetsWritten} assets${interrupted ? ' (interrupted: run again to finish)' : ''}`,
  );
  return { pages: refs.length, rendered, written, interrupted };
}

async function main(): Promise<void> {
  const { stage, rest } = parseStage(process.argv.slice(2));
  const force = rest.includes('--force');
  const verify = rest.includes('--verify');
  const unknown = rest.filter((a) => a !== '--force' && a !== '--verify');
  if (unknown.length > 0)
    throw new Error(
      `unknown argument ${unknown[0]}; usage: npm run rebuild -- [--stage name] [--force | --verify]`,
    );
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
  const outcome = await rebuildLocal({ force, verify, signal: controller.signal });
  if (outcome.interrupted) process.exitCode = 130;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
