import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Credential fields, at the top of a line or one object down (`{ err }`, `{ config }`, `{ body }`). */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'apiKey',
  'api_key',
  'key',
  'token',
  'access_token',
  'accessToken',
  'secret',
  'client_secret',
  'clientSecret',
  'password',
  'internalToken',
  'internal_token',
  'bootstrapAdminKey',
];

/** Headers that carry credentials, in any `headers` object one or two levels down (`req.headers`). */
const SECRET_HEADERS = ['authorization', 'cookie', '"x-api-key"', '"x-aiaas-internal-token"'];

/**
 * Paths pino blanks out wherever they appear in a log line: credentials never reach logs. pino's
 * paths are exact (a wildcard is one level), so each field is listed at the levels lines use.
 */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => {
    const path = header.startsWith('"') ? `headers[${header}]` : `headers.${header}`;
    return [path, `*.${path}`, `*.*.${path}`];
  }),
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Written as `service` on every line. */
  service: string;
  /** @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  /** Where lines go; tests pass a stream to read them back. @default stdout */
  destination?: pino.DestinationStream;
}

/**
 * `trace_id` and `span_id` of the span active where a line is written, so logs join traces. A mixin
 * rather than @opentelemetry/instrumentation-pino's log correlation: it works wherever the logger
 * is created (tests included) and costs one context lookup when tracing is off.
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** A pino JSON logger with the product's redaction rules and the active span's trace ids. */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      base: { service: options.service, pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
  redactObjectsOnly(logger);
  return logger;
}

type Stringifier = (value: unknown, ...rest: unknown[]) => string;

/**
 * pino runs the redactor of the `*.`-first paths over every top-level value of a line, strings and
 * numbers included: with @pinojs/redact about 4 µs a value, most of what a gateway request's log
 * line cost (and each trace field added a pass; docs/decisions/telemetry.md). A path can only match
 * inside an object, so strings, numbers and booleans are written as pino writes them unredacted
 * (JSON.stringify); objects, errors included, go through the redactor as before.
 */
function redactObjectsOnly(logger: Logger): void {
  const stringifiers = (logger as unknown as Record<symbol, Record<symbol, Stringifier | undefined> | undefined>)[
    pino.symbols.stringifiersSym
  ];
  const redact = stringifiers?.[pino.symbols.wildcardFirstSym];
  // A pino upgrade that moved it should fail here, not quietly lose the speed-up.
  if (stringifiers === undefined || redact === undefined) {
    throw new Error('createLogger: pino no longer keeps a redactor for "*." paths where this expects it');
  }
  stringifiers[pino.symbols.wildcardFirstSym] = (value, ...rest) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? JSON.stringify(value)
      : redact(value, ...rest);
}
