// A Lambda Context for local invocations and tests, and the one way this repo runs a handler in-process.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context, Handler } from 'aws-lambda';
import { handlerEntry, type LambdaName } from '../constructs/bundling.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../constructs/timeouts.ts';

export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Runs a function's handler in this process, as Lambda would: its module is imported once (Node caches it, so
 * module-scope init runs once, like a warm container) and called with a fresh context, with the function's own
 * timeout (infra/constructs/timeouts.ts) unless the caller gives another.
 */
export async function invokeLocally(
  name: LambdaName,
  event: unknown,
  timeoutMs: number = FUNCTION_TIMEOUT_SECONDS[name] * 1000,
): Promise<unknown> {
  const module = await loadHandler(name);
  return module.handler(event, lambdaContext(name, timeoutMs), () => undefined);
}

/**
 * The imported module per function. A repeated `import()` of a loaded module still runs the loader's resolve hooks
 * (tsx's among them): measured at about 5% of the gateway's CPU per view, so the promise is kept.
 */
const handlers = new Map<LambdaName, Promise<{ handler: Handler }>>();
function loadHandler(name: LambdaName): Promise<{ handler: Handler }> {
  let loading = handlers.get(name);
  if (!loading) {
    loading = import(pathToFileURL(handlerEntry(name)).href) as Promise<{ handler: Handler }>;
    // A module that failed to load (a syntax error while editing) is tried again on the next call.
    loading.catch(() => handlers.delete(name));
    handlers.set(name, loading);
  }
  return loading;
}
