// The one place logging is configured: one JSON line per entry. In the functions, through the middy middleware
// `requestLogging()`, every line of an invocation carries the Lambda request id (and an API request's own id). The
// local runtime and tests take `createLogger` with a sink of their own. Never pass either whole events or contact
// details. Not Powertools Logger: its 21 KB cost cold-start time for nothing we use (docs/BOUNDARIES.md "Logs").
import type { MiddlewareObj } from '@middy/core';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** The narrow logger type adapters and handlers take. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

const defaultSink: LogSink = (line) => process.stdout.write(`${line}\n`);

const serialiseError = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;

const levelFromEnv = (): LogLevel => {
  const raw = process.env.LOG_LEVEL?.toLowerCase();
  return raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error' ? raw : 'info';
};

/**
 * A JSON logger writing one line per entry to `sink`: the functions' `logger`, the local runtime's own lines, and
 * quiet loggers for tests. `current` adds keys read at each write (the invocation's, see requestLogging).
 */
export function createLogger(
  base: LogFields = {},
  sink: LogSink = defaultSink,
  current?: () => LogFields,
): Logger {
  const threshold = ORDER[levelFromEnv()];
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < threshold) return;
    const entry: LogFields = { level, time: new Date().toISOString(), message, ...base, ...current?.() };
    for (const [key, value] of Object.entries(fields ?? {})) entry[key] = serialiseError(value);
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, sink, current),
  };
}

/** Keys of the invocation under way, set by `requestLogging()`: Lambda runs one invocation per instance at a time. */
let invocationKeys: LogFields = {};
let coldStart = true;

/** The functions' logger: the service name, then the current invocation's keys, on every line. */
export const logger: Logger = createLogger(
  { service: process.env.SERVICE_NAME ?? 'newsroom' },
  defaultSink,
  () => invocationKeys,
);

interface WithApiRequestId {
  readonly requestContext?: { readonly requestId?: unknown };
}

/**
 * First middleware of every function: every line `logger` (or a child of it) writes during the invocation carries
 * the Lambda request id (`function_request_id`), the function's name and whether this was a cold start, and an
 * API Gateway event's own request id (what a client's error report can name) as `requestId`. Cleared when the
 * invocation ends, answered or failed (middy runs this middleware's `after`/`onError` last).
 */
export function requestLogging<TEvent, TResult>(): MiddlewareObj<TEvent, TResult>[] {
  const clear = () => {
    invocationKeys = {};
  };
  return [
    {
      before: (request) => {
        const requestId = (request.event as WithApiRequestId | undefined)?.requestContext?.requestId;
        invocationKeys = {
          function_name: request.context.functionName,
          function_request_id: request.context.awsRequestId,
          cold_start: coldStart,
          ...(typeof requestId === 'string' ? { requestId } : {}),
        };
        coldStart = false;
      },
      after: clear,
      onError: clear,
    },
  ];
}
