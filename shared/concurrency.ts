// Bounded concurrency for I/O fan-out, on p-queue (which has no dependencies of its own).
import PQueue from 'p-queue';

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = new PQueue({ concurrency: Math.max(1, limit) });
  await queue.addAll(items.map((item) => () => work(item)));
}

/**
 * Work fed as it comes, at most `limit` items in flight across every push, so a pause between pushes never drains
 * the pipe. The first failure starts nothing more, and the next wait throws it.
 */
export function workQueue<T>(limit: number, work: (item: T) => Promise<void>) {
  const queue = new PQueue({ concurrency: limit });
  let failure: { error: unknown } | undefined;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const until = async (settled: Promise<void>) => {
    await Promise.race([settled, stopped]);
    if (failure) throw failure.error;
  };
  return {
    push(items: readonly T[]) {
      for (const item of items) {
        queue
          .add(() => work(item))
          .catch((error: unknown) => {
            if (failure) return;
            failure = { error };
            queue.clear();
            stop();
          });
      }
    },
    /** Waits until at most `n` (no fewer than `limit`) items are queued or in flight. */
    below: (n: number) => until(queue.onSizeLessThan(Math.max(1, n - limit + 1))),
    drained: () => until(queue.onIdle()),
  };
}
