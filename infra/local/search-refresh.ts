// The local stand-in for the EventBridge rule that sends the search function `{"command":"reindex"}` every
// SEARCH_REINDEX_INTERVAL_SECONDS: the same function looks at render's change mark and builds the index only when
// it moved, so a burst of publishes costs one build (shared/search/reindex.ts).
import type { Logger } from '../../shared/log.ts';
import { REINDEX_COMMAND, type ReindexOutcome } from '../../shared/search/reindex.ts';
import type { LambdaName } from '../constructs/bundling.ts';
import { startPeriodic } from './periodic.ts';

export interface SearchRefresh {
  /** Looks at the mark now, building if it moved (one at a time: a call while one runs waits for it). */
  refresh(): Promise<void>;
  /** Index builds so far (looks that found the mark unchanged do not count). */
  readonly builds: number;
  /** Stops the timer and waits for a look in progress. */
  stop(): Promise<void>;
}

export function startSearchRefresh(options: {
  readonly seconds: number;
  readonly invoke: (name: LambdaName, event: unknown) => Promise<unknown>;
  readonly log: Logger;
}): SearchRefresh {
  let builds = 0;
  const periodic = startPeriodic({
    seconds: options.seconds,
    log: options.log,
    what: 'search index build',
    task: async () => {
      const outcome = (await options.invoke('search', REINDEX_COMMAND)) as ReindexOutcome | undefined;
      if (outcome?.built) builds++;
    },
  });
  return {
    refresh: periodic.run,
    get builds() {
      return builds;
    },
    stop: periodic.stop,
  };
}
