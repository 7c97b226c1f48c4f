// The local runtime's stand-in for a schedule (an EventBridge rule, DynamoDB's TTL): a task run every few seconds,
// one run at a time, whose failures are logged rather than thrown, and whose timer never keeps a process alive.
import type { Logger } from '../../shared/log.ts';

export interface Periodic {
  /** Runs the task now (a call while one runs waits for that run instead of starting another). */
  run(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * A schedule's interval from its environment variable (`name`): seconds, 0 to turn the timer off, `fallback` when
 * unset. `fail` reports a bad value.
 */
export function intervalFromEnv(
  name: string,
  value: string | undefined,
  fallback: number,
  fail: (message: string) => never = (message) => {
    throw new Error(message);
  },
): number {
  if (value === undefined || value.trim() === '') return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    fail(`${name} must be a number of seconds, 0 to turn the timer off (got "${value}").`);
  return seconds;
}

/** Every `seconds` (0: never by itself, only when `run` is called), runs `task`; `what` names it in failure logs. */
export function startPeriodic(options: {
  readonly seconds: number;
  readonly task: () => Promise<unknown>;
  readonly log: Logger;
  readonly what: string;
}): Periodic {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= options
      .task()
      .then(() => undefined)
      .catch((error: Error) => options.log.warn(`${options.what} failed`, { error: error.message }))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = options.seconds > 0 ? setInterval(() => void run(), options.seconds * 1000) : undefined;
  // The timer alone does not keep a process (a test, a script) alive.
  timer?.unref();
  return {
    run,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
