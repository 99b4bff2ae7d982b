import zlib from 'node:zlib';
import protobuf from 'protobufjs';
import { countProtobufSpans, start } from '../../bench/otlp-receiver';
import type { OtlpReceiver } from '../../bench/otlp-receiver';

/** The OTLP trace messages the receiver walks, with the field numbers of opentelemetry-proto. */
const otlp = protobuf.Root.fromJSON({
  nested: {
    ExportTraceServiceRequest: { fields: { resource_spans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
    ResourceSpans: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scope_spans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
        schema_url: { type: 'string', id: 3 },
      },
    },
    Resource: { fields: { dropped_attributes_count: { type: 'uint32', id: 2 } } },
    ScopeSpans: {
      fields: {
        scope: { type: 'Scope', id: 1 },
        spans: { rule: 'repeated', type: 'Span', id: 2 },
        schema_url: { type: 'string', id: 3 },
      },
    },
    Scope: { fields: { name: { type: 'string', id: 1 } } },
    Span: {
      fields: {
        trace_id: { type: 'bytes', id: 1 },
        span_id: { type: 'bytes', id: 2 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        start_time_unix_nano: { type: 'fixed64', id: 7 },
        dropped_attributes_count: { type: 'uint32', id: 10 },
      },
    },
  },
});

function encodeRequest(spansPerScope: number[][]): Buffer {
  const span = (i: number) => ({
    trace_id: Buffer.alloc(16, i),
    span_id: Buffer.alloc(8, i),
    name: `span ${i}`,
    kind: 2,
    start_time_unix_nano: 1_700_000_000_000_000_000,
    dropped_attributes_count: 0,
  });
  const message = {
    resource_spans: spansPerScope.map((scopes) => ({
      resource: { dropped_attributes_count: 1 },
      scope_spans: scopes.map((count) => ({
        scope: { name: 's' },
        spans: Array.from({ length: count }, (_, i) => span(i)),
      })),
      schema_url: 'https://opentelemetry.io/schemas/1.0.0',
    })),
  };
  const type = otlp.lookupType('ExportTraceServiceRequest');
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}

describe('bench OTLP receiver', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await start();
  });
  afterAll(() => receiver.close());

  it('counts spans in protobuf exports across resources and scopes', () => {
    expect(countProtobufSpans(encodeRequest([[2, 3], [0], [4]]))).toBe(9);
    expect(countProtobufSpans(Buffer.alloc(0))).toBe(0);
  });

  it('rejects a truncated protobuf body', () => {
    const body = encodeRequest([[3]]);
    expect(() => countProtobufSpans(body.subarray(0, body.length - 5))).toThrow(/malformed protobuf/);
  });

  it('receives protobuf (gzip too) and JSON exports over HTTP, answering 200', async () => {
    const post = (body: Buffer, headers: Record<string, string>) =>
      fetch(`${receiver.url}/v1/traces`, { method: 'POST', body, headers });
    expect((await post(encodeRequest([[5]]), { 'content-type': 'application/x-protobuf' })).status).toBe(200);
    const gzipped = zlib.gzipSync(encodeRequest([[1, 1]]));
    expect((await post(gzipped, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' })).status).toBe(
      200,
    );
    expect(receiver.spanCount()).toBe(7);

    // OTLP/JSON as the exporter writes it (the exporter itself is exercised by the e2e traces).
    const json = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'x' } }] },
          scopeSpans: [
            { scope: { name: 's' }, spans: [{ name: 'a' }, { name: 'b' }] },
            { scope: { name: 't' }, spans: [{ name: 'c' }] },
          ],
        },
        { resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [{ name: 'd' }] }] },
      ],
    };
    expect((await post(Buffer.from(JSON.stringify(json)), { 'content-type': 'application/json' })).status).toBe(200);
    expect(receiver.spanCount()).toBe(11);
    expect(receiver.requestCount()).toBe(3);
    expect(receiver.rejectedCount()).toBe(0);
  });

  it('answers 400 to an unknown content type and 404 to other paths, counting nothing', async () => {
    const before = receiver.spanCount();
    const text = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    expect(await text.text()).toMatch(/expected application\/json or application\/x-protobuf, got "text\/plain"/);
    expect((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(receiver.spanCount()).toBe(before);
    expect(receiver.rejectedCount()).toBe(1);
  });
});
