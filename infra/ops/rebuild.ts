// `npm run rebuild [-- --stage name] [--force | --verify] [--fan-out]`: re-renders every page whose inputs changed and
// writes only changed bytes, then invalidates once. The work is the render function's own (functions/render/): against
// a stage, a run of the rebuild state machine fans it out over render invocations (rebuild-aws.ts); locally it runs
// here, with a progress bar, on the main thread or on worker threads too, or with `--fan-out` as the same plan,
// slices and finish the state machine sends. Interrupt it and run it again at will: pages already written are recorded in the
// manifest and skipped the second time; a
// `--force` rebuild stopped partway is finished by the next run (forced or not), which writes only the pages it had
// not written yet.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RebuildOptions, SliceRenderer } from '../../functions/render/rebuild.ts';
import { rebuildByFanOut } from '../../functions/render/rebuild-command.ts';
import type { RenderedPage } from '../../functions/render/render-slice.ts';
import { progress } from './progress.ts';
import { rebuildInAws } from './rebuild-aws.ts';
import type { WorkerRequest } from './rebuild-worker.ts';
import { parseStage, resolveTarget } from './target.ts';

/** What `rebuildLocal` reports: counts, where the render function's rebuild gives the written keys. */
export interface LocalRebuildOutcome {
  readonly pages: number;
  /** Pages rendered. */
  readonly rendered: number;
  /** Pages written. */
  readonly written: number;
  readonly interrupted: boolean;
}

export interface LocalRebuildOptions
  extends Pick<RebuildOptions, 'force' | 'verify' | 'sliceSize' | 'stopAfterSlices' | 'signal'> {
  /**
   * Worker threads; 0 renders on the main thread. By default two fewer than the cores (at most 4): the main thread
   * is busy with the SDK's PutObject calls and the local S3 server needs a core, so on 2 cores a worker (its own
   * tsx and render modules) made a 4,000-article rebuild slower, 12–15 s against 10 s on the main thread. A worker
   * pre-bundled with esbuild started no faster (0.5–1 s, 0.7–1.3 s of CPU: loading the SDK and markdown-it).
   */
  readonly workers?: number;
  readonly quiet?: boolean;
}

type WorkerReply = { ready?: true; pages?: RenderedPage[]; error?: string };

/** Sends `request` (if any) and waits for the worker's next message. */
const ask = (worker: Worker, request?: WorkerRequest) =>
  new Promise<WorkerReply>((resolve, reject) => {
    const onMessage = (message: WorkerReply) => {
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

/** A worker thread that renders slices with the render function's code; tsx compiles it, as it does this process. */
function workerRenderer(
  site: Extract<WorkerRequest, { init: unknown }>['init'],
): SliceRenderer & { worker: Worker } {
  const worker = new Worker(new URL('./rebuild-worker.ts', import.meta.url), {
    env: process.env,
    execArgv: ['--import', 'tsx'],
  });
  return {
    worker,
    ready: ask(worker).then(() => worker.postMessage({ init: site } satisfies WorkerRequest)),
    async render(refs, views) {
      const message = await ask(worker, { refs, views });
      if (message.error) throw new Error(message.error);
      return message.pages ?? [];
    },
  };
}

/** Local rebuild: the render function's rebuild, with its deps, a progress bar and worker threads. */
export async function rebuildLocal(options: LocalRebuildOptions = {}): Promise<LocalRebuildOutcome> {
  const { productionDeps } = await import('../../functions/render/handler.ts');
  const { rebuildPages } = await import('../../functions/render/rebuild.ts');
  const deps = productionDeps();
  const workers: Worker[] = [];
  let bar: ReturnType<typeof progress> | undefined;
  try {
    const outcome = await rebuildPages(deps, {
      ...options,
      progress: (total) => {
        bar = progress({
          label: 'rebuild',
          total,
          ...(options.quiet
            ? { stream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream }
            : {}),
        });
        return bar;
      },
      helpers: (site, slices) => {
        // Worker threads pay off only for enough pages: each one starts its own tsx and render modules.
        const wanted = options.workers ?? availableParallelism() - 2;
        const count = slices < 4 ? 0 : Math.max(0, Math.min(wanted, 4, slices));
        return Array.from({ length: count }, () => {
          const renderer = workerRenderer(site);
          workers.push(renderer.worker);
          return renderer;
        });
      },
    });
    // As the render function's rebuild command does: pages that changed may be imported or edited articles.
    if (outcome.written.length > 0) await deps.searchMark.mark();
    bar?.done(
      `${outcome.written.length} of ${outcome.pages} pages written (${outcome.rendered} rendered, ${outcome.unchanged} unchanged since the last rebuild), ${outcome.assetsWritten} assets${outcome.interrupted ? ' (interrupted: run again to finish)' : ''}`,
    );
    return {
      pages: outcome.pages,
      rendered: outcome.rendered,
      written: outcome.written.length,
      interrupted: outcome.interrupted,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function main(): Promise<void> {
  const { stage, rest } = parseStage(process.argv.slice(2));
  const force = rest.includes('--force');
  const verify = rest.includes('--verify');
  const fanOut = rest.includes('--fan-out');
  const unknown = rest.filter((a) => a !== '--force' && a !== '--verify' && a !== '--fan-out');
  if (unknown.length > 0)
    throw new Error(
      `unknown argument ${unknown[0]}; usage: npm run rebuild -- [--stage name] [--force | --verify] [--fan-out]`,
    );
  const target = await resolveTarget(stage);
  console.error(`rebuild → ${target.description}`);
  if (!target.inProcess) {
    if (!target.rebuildStateMachineArn)
      throw new Error('the stage has no RebuildStateMachineArn output; deploy it again first.');
    await rebuildInAws(target.rebuildStateMachineArn, { force, verify }, (line) => console.error(line));
    return;
  }
  if (fanOut) {
    // The state machine's steps, against the local runtime's render: the same plan, slices and finish as in AWS.
    const summary = await rebuildByFanOut(target.render, {
      force,
      verify,
      onSlice: (slice, done, of) =>
        console.error(`rebuild: slice ${done} of ${of} (pages ${slice.from}–${slice.to})`),
    });
    console.error(`rebuild: ${JSON.stringify(summary)}`);
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
