// The local stand-in for the EventBridge rule that refreshes the 点击排行 boxes: every few seconds it writes out the
// views function's in-process hot-list tally (in AWS each instance does that itself every 10 s) and sends render
// REFRESH_HOT_COMMAND. AWS runs it every HOT_REFRESH_INTERVAL_MINUTES; locally a minute keeps the box lively.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REFRESH_HOT_COMMAND } from '../../shared/domain/views.ts';
import type { Logger } from '../../shared/log.ts';
import { handlerEntry, type LambdaName } from '../constructs/bundling.ts';
import { intervalFromEnv, startPeriodic } from './periodic.ts';

export const DEFAULT_HOT_REFRESH_SECONDS = 60;

/** `HOT_REFRESH_SECONDS`: seconds between refreshes; 0 turns the timer off. `fail` reports a bad value. */
export const hotRefreshSecondsFromEnv = (
  value: string | undefined,
  fail?: (message: string) => never,
): number => intervalFromEnv('HOT_REFRESH_SECONDS', value, DEFAULT_HOT_REFRESH_SECONDS, fail);

export interface HotRefresh {
  /** Flushes the tally and refreshes now (one at a time: a call while one runs waits for it). */
  refresh(): Promise<void>;
  /** Stops the timer and waits for a refresh in progress. */
  stop(): Promise<void>;
}

/** Writes out the views function's tally: the module instance the gateway invokes (Node caches it). */
async function flushViewsTally(): Promise<void> {
  if (!existsSync(handlerEntry('views'))) return;
  const views = (await import(pathToFileURL(handlerEntry('views')).href)) as {
    flushHotTally?: () => Promise<number>;
  };
  await views.flushHotTally?.();
}

export function startHotRefresh(options: {
  readonly seconds: number;
  readonly invoke: (name: LambdaName, event: unknown) => Promise<unknown>;
  readonly log: Logger;
  /** Writes out the hot-list tally before each refresh; by default the views function's. */
  readonly flush?: () => Promise<unknown>;
}): HotRefresh {
  const flush = options.flush ?? flushViewsTally;
  const periodic = startPeriodic({
    seconds: options.seconds,
    log: options.log,
    what: 'hot-list refresh',
    task: async () => {
      await flush();
      await options.invoke('render', REFRESH_HOT_COMMAND);
    },
  });
  return { refresh: periodic.run, stop: periodic.stop };
}
