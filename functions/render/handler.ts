// render: the Articles stream (and ops commands) → static pages in the site bucket → one batched invalidation.
// This file only tells the events apart and hands each to its module: stream batches to stream.ts (publish.ts,
// photo-waits.ts), `render-articles` to render-articles.ts, `refresh-hot` to hot.ts, the rebuilds to rebuild.ts and
// fan-out.ts. All are imported statically: in one esbuild file a dynamic import() wraps the modules it reaches for
// lazy start-up, and that kept the S3 client's whole command index, 923,491 B against 887,018 B static.

import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requestLogging } from '#shared/log.ts';
import {
  type CommandOf,
  isRenderCommand,
  type RenderCommand,
  type RenderCommandName,
  type RenderSummary,
} from './commands.ts';
import { productionDeps, type RenderDeps } from './deps.ts';
import { finishCommand, planCommand, sliceCommand } from './fan-out.ts';
import { refreshHotCommand } from './hot.ts';
import { runRebuildCommand } from './rebuild.ts';
import type { RebuildPlanAnswer, RebuildSummary } from './rebuild-command.ts';
import { renderArticles } from './render-articles.ts';
import { renderBatch } from './stream.ts';

export { isRenderCommand, productionDeps, type RenderCommand, type RenderDeps, type RenderSummary };

type Answer = DynamoDBBatchResponse | RenderSummary | RebuildSummary | RebuildPlanAnswer;
type Run<K extends RenderCommandName> = (
  command: CommandOf<K>,
  deps: RenderDeps,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<Answer>;

/** One entry per command; the compiler fails when a command has none. */
const commands: { readonly [K in RenderCommandName]: Run<K> } = {
  'render-articles': renderArticles,
  'refresh-hot': refreshHotCommand,
  rebuild: runRebuildCommand,
  'rebuild-plan': (command, deps) => planCommand(command.options ?? {}, deps),
  'rebuild-slice': async (command, deps) => {
    const summary = await sliceCommand({ run: command.run, from: command.from, to: command.to }, deps);
    return { ...summary, removed: 0 };
  },
  'rebuild-finish': finishCommand,
};

export function renderStream(
  event: DynamoDBStreamEvent | RenderCommand,
  deps: RenderDeps,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<Answer> {
  if (!isRenderCommand(event)) return renderBatch(event, deps);
  const run = commands[event.command] as Run<typeof event.command>;
  return run(event, deps, context);
}

export const handler = middy<DynamoDBStreamEvent | RenderCommand, unknown>()
  .use(requestLogging())
  .handler((event, context) => renderStream(event, productionDeps(), context));
