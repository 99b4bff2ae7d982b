import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { createLogger } from '@aiaas/common';
import { installInMemoryTracing } from './in-memory-tracing';
import type { InMemoryTracing } from './in-memory-tracing';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log lines and traces', () => {
  let tracing: InMemoryTracing;
  beforeAll(() => {
    tracing = installInMemoryTracing();
  });
  afterAll(() => tracing.shutdown());

  it('carries trace_id and span_id inside a span, nothing outside, and still redacts secrets', () => {
    const out = capture();
    const logger = createLogger({ service: 'test', destination: out.stream });
    logger.info('outside');
    let ids = { traceId: '', spanId: '' };
    trace.getTracer('test').startActiveSpan('request', (span) => {
      ids = span.spanContext();
      logger.info({ headers: { authorization: 'Bearer sk-secret' } }, 'inside');
      span.end();
    });
    const [outside, inside] = out.lines();
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
    expect(inside).toMatchObject({
      msg: 'inside',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      headers: { authorization: '[redacted]' },
    });
    expect(JSON.stringify(out.lines())).not.toContain('sk-secret');
  });
});
