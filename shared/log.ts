// The one place logging is configured. In the functions: Powertools Logger, one JSON line per entry, and through the
// middy middleware `requestLogging()` every line of an invocation carries the Lambda request id (and an API request's
// own id). The local runtime and tests take `createLogger` with a sink of their own. Never pass either whole events
// or contact details.
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
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

/** A JSON logger writing to `sink`: the local runtime's own lines, and quiet loggers for tests. */
export function createLogger(base: LogFields = {}, sink: LogSink = defaultSink): Logger {
  const threshold = ORDER[levelFromEnv()];
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < threshold) return;
    const entry: LogFields = { level, time: new Date().toISOString(), message, ...base };
    for (const [key, value] of Object.entries(fields ?? {})) entry[key] = serialiseError(value);
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, sink),
  };
}

const powertools = new PowertoolsLogger({
  serviceName: process.env.SERVICE_NAME ?? 'newsroom',
  logLevel: levelFromEnv().toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
});

/** Our narrow type over a Powertools logger; errors in fields are serialised by Powertools (name, message, stack). */
function narrow(target: PowertoolsLogger): Logger {
  return {
    debug: (m, f) => (f ? target.debug(m, f) : target.debug(m)),
    info: (m, f) => (f ? target.info(m, f) : target.info(m)),
    warn: (m, f) => (f ? target.warn(m, f) : target.warn(m)),
    error: (m, f) => (f ? target.error(m, f) : target.error(m)),
    child: (fields) => narrow(target.createChild({ persistentKeys: fields })),
  };
}

/** The functions' logger. */
export const logger: Logger = narrow(powertools);

interface WithApiRequestId {
  readonly requestContext?: { readonly requestId?: unknown };
}

/**
 * First middleware of every function: Powertools' `injectLambdaContext` adds the Lambda context (request id, function,
 * cold start) to every line of the invocation and clears what the invocation appended afterwards; an API Gateway
 * event's own request id (what a client's error report can name) is appended as `requestId`.
 */
export function requestLogging<TEvent, TResult>(): MiddlewareObj<TEvent, TResult>[] {
  const context = injectLambdaContext(powertools, { resetKeys: true }) as MiddlewareObj<TEvent, TResult>;
  const apiRequestId: MiddlewareObj<TEvent, TResult> = {
    before: (request) => {
      const requestId = (request.event as WithApiRequestId | undefined)?.requestContext?.requestId;
      if (typeof requestId === 'string') powertools.appendKeys({ requestId });
    },
  };
  return [context, apiRequestId];
}
