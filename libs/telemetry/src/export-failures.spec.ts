import { diag } from '@opentelemetry/api';
import { globalErrorHandler, loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { ExportFailureReporter, reportExportFailures } from './export-failures';

function recorder(): { lines: string[]; clock: { now: number }; io: { write(line: string): void; now(): number } } {
  const lines: string[] = [];
  const clock = { now: 1_000_000 };
  return { lines, clock, io: { write: (line) => lines.push(line), now: () => clock.now } };
}

describe('ExportFailureReporter', () => {
  it('says the first failure at once, with where the spans were going and why', () => {
    const { lines, io } = recorder();
    new ExportFailureReporter('OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318', io).exportFailed(
      new Error('connect ECONNREFUSED 10.0.0.9:4318'),
    );
    expect(lines).toEqual([
      'aiaas: tracing: spans not exported to OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 (connect ECONNREFUSED 10.0.0.9:4318)\n',
    ]);
  });

  it('writes at most one line per interval, and the next one counts what it held back', () => {
    const { lines, clock, io } = recorder();
    const reporter = new ExportFailureReporter('the exporter', io, 60_000);
    reporter.exportFailed(new Error('timeout'));
    for (let i = 0; i < 5; i++) {
      clock.now += 10_000;
      reporter.exportFailed(new Error('timeout'));
    }
    reporter.diagnostic('Dropped 40 spans because maxQueueSize reached');
    expect(lines).toHaveLength(1);
    clock.now += 10_000; // 60 s after the first line
    reporter.exportFailed(new Error('Request Timeout'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'aiaas: tracing: spans not exported to the exporter (Request Timeout); 6 more since the last such line, 60 s ago\n',
    );
    clock.now += 61_000;
    reporter.diagnostic('Dropped 3 spans because maxQueueSize reached');
    expect(lines[2]).toBe('aiaas: tracing: Dropped 3 spans because maxQueueSize reached\n');
  });

  it('describes what is not an Error: a string or an object the exporter rejected with', () => {
    const { lines, clock, io } = recorder();
    const reporter = new ExportFailureReporter('x', io, 1);
    reporter.exportFailed('Export failed with retryable status');
    clock.now += 2;
    reporter.exportFailed({ code: 14, reason: 'unavailable' });
    expect(lines).toEqual([
      'aiaas: tracing: spans not exported to x (Export failed with retryable status)\n',
      'aiaas: tracing: spans not exported to x ({"code":14,"reason":"unavailable"})\n',
    ]);
  });
});

describe('reportExportFailures (the SDK’s error handler and diagnostic channel)', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((line: string | Uint8Array) => {
      written.push(String(line));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    setGlobalErrorHandler(loggingErrorHandler());
    diag.disable();
  });

  it('reports what the batch processor hands the global error handler', () => {
    reportExportFailures('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9', {});
    globalErrorHandler(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    expect(written).toEqual([
      'aiaas: tracing: spans not exported to OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)\n',
    ]);
  });

  it('reports the diagnostic channel’s warnings (dropped spans), not its info lines', () => {
    reportExportFailures('x', {});
    diag.info('Export retry time 1200ms exceeds remaining time, not retrying further');
    expect(written).toEqual([]);
    diag.warn('Dropped 12 spans because maxQueueSize reached');
    expect(written).toEqual(['aiaas: tracing: Dropped 12 spans because maxQueueSize reached\n']);
  });

  it('leaves the diagnostic channel to OTEL_LOG_LEVEL when it is set', () => {
    const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
    diag.setLogger(logger);
    reportExportFailures('x', { OTEL_LOG_LEVEL: 'info' });
    diag.warn('Dropped 12 spans because maxQueueSize reached');
    expect(logger.warn).toHaveBeenCalledWith('Dropped 12 spans because maxQueueSize reached');
    expect(written).toEqual([]);
  });
});
