import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';

/** At most one line per this long, however often exports fail. */
const EXPORT_FAILURE_REPORT_INTERVAL_MS = 60_000;

/** How {@link ExportFailureReporter} writes a line and reads the clock (tests pass their own). */
export interface ReporterIo {
  write(line: string): void;
  now(): number;
}

const processIo: ReporterIo = { write: (line) => process.stderr.write(line), now: Date.now };

/** What went wrong, in words: an error's message, a string as it is, anything else as JSON. */
export function reasonOf(problem: unknown): string {
  if (problem instanceof Error) return problem.message;
  if (typeof problem === 'string') return problem;
  try {
    return JSON.stringify(problem);
  } catch {
    return String(problem);
  }
}

/**
 * Says on stderr that the SDK lost spans while the service runs: an export that failed after the
 * exporter's retries, or spans dropped because the queue was full while the collector was slow or
 * down. The SDK sends both only to its diagnostic channel, silent unless `OTEL_LOG_LEVEL` is set,
 * so a collector that went away took the traces with it without a word. One line at the first
 * problem, then at most one per interval with how many more there were (of either kind), so that a
 * collector that stays down does not flood the service's output.
 */
export class ExportFailureReporter {
  readonly #destination: string;
  readonly #io: ReporterIo;
  readonly #intervalMs: number;
  #lastLineAt: number | undefined;
  #unreported = 0;

  constructor(destination: string, io: ReporterIo = processIo, intervalMs = EXPORT_FAILURE_REPORT_INTERVAL_MS) {
    this.#destination = destination;
    this.#io = io;
    this.#intervalMs = intervalMs;
  }

  /** An export that failed, with the exporter's error. */
  exportFailed(error: unknown): void {
    this.#report(`spans not exported to ${this.#destination} (${reasonOf(error)})`);
  }

  /** A warning or error on the SDK's diagnostic channel (`Dropped 120 spans because maxQueueSize reached`). */
  diagnostic(message: string): void {
    this.#report(message);
  }

  #report(problem: string): void {
    const now = this.#io.now();
    if (this.#lastLineAt !== undefined && now - this.#lastLineAt < this.#intervalMs) {
      this.#unreported += 1;
      return;
    }
    const more =
      this.#unreported === 0
        ? ''
        : `; ${this.#unreported} more since the last such line, ${Math.round((now - this.#lastLineAt!) / 1000)} s ago`;
    this.#io.write(`aiaas: tracing: ${problem}${more}\n`);
    this.#lastLineAt = now;
    this.#unreported = 0;
  }
}

/**
 * Routes the SDK's export failures (its global error handler) and, unless `OTEL_LOG_LEVEL` chose
 * another level, its diagnostic warnings and errors (dropped spans) to one reporter.
 */
export function reportExportFailures(destination: string, env: NodeJS.ProcessEnv): void {
  const reporter = new ExportFailureReporter(destination);
  setGlobalErrorHandler((error) => reporter.exportFailed(error));
  if ((env['OTEL_LOG_LEVEL'] ?? '') === '') {
    const quiet = (): void => undefined;
    const logger: DiagLogger = {
      error: (message) => reporter.diagnostic(message),
      warn: (message) => reporter.diagnostic(message),
      info: quiet,
      debug: quiet,
      verbose: quiet,
    };
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  }
}
