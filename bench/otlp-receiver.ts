/**
 * A minimal OTLP/HTTP trace receiver on loopback, for benchmarks that run with tracing on: it
 * accepts `POST /v1/traces` with `application/json` or `application/x-protobuf` bodies (gzip or
 * not), counts the spans in each export and answers 200 with an empty success body, as a real
 * collector would. Nothing is kept but counts, so a long run does not grow its memory.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** A running receiver. Point `OTEL_EXPORTER_OTLP_ENDPOINT` at `url`. */
export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:43123` (the exporter appends `/v1/traces`). */
  url: string;
  /** Spans received so far, over all exports. */
  spanCount(): number;
  /** Export requests received so far. */
  requestCount(): number;
  /** Body bytes received so far (after gzip decoding). */
  byteCount(): number;
  /** Exports that could not be decoded (answered 400); 0 in a healthy run. */
  rejectedCount(): number;
  close(): Promise<void>;
}

interface JsonExport {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

/**
 * The batch span processor's delay in a benchmarked process (OTEL_BSP_SCHEDULE_DELAY): longer than
 * any run, so spans are exported only in full batches (512, the SDK's default batch size).
 */
const BENCH_EXPORT_DELAY_MS = 600_000;

/**
 * The OTLP settings of a benchmarked process that exports to `receiverUrl`: http/protobuf, and
 * exports in full batches only. A process under steady load with the SDK's defaults exports that
 * way too (at 10% sampling a gateway or node fills a batch of 512 within about a second, long before
 * the 5 s timer), but a bench loads each process in short windows: with the default timer most of a
 * window's spans would be exported while the process sits idle (their cost counted nowhere), and
 * with a short one it would export small batches several times a second, each paying an HTTP
 * request that the default cadence does not. Full batches only keeps the default cadence and puts
 * every export in a window of the process that recorded its spans; what is left at the end of a
 * window waits for its next one.
 */
export function benchExportEnv(receiverUrl: string): NodeJS.ProcessEnv {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: String(BENCH_EXPORT_DELAY_MS),
  };
}

/** Spans in an OTLP/JSON `ExportTraceServiceRequest`. */
export function countJsonSpans(body: Buffer): number {
  const parsed = JSON.parse(body.toString('utf8')) as JsonExport;
  let count = 0;
  for (const resource of parsed.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
  }
  return count;
}

/** Reads a protobuf base-128 varint at `offset`; returns the value and the offset after it. */
function readVarint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < buffer.length; i++) {
    const byte = buffer[i]!;
    // Multiplication, not <<: lengths and skipped varints can pass 2^31.
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7;
    if (shift > 63) break;
  }
  throw new Error(`malformed protobuf: bad varint at byte ${offset}`);
}

/**
 * Calls `onField` for each length-delimited field of the message in `buffer` (other wire types
 * are skipped), so nested messages can be walked without a schema.
 */
function forEachLengthDelimited(buffer: Buffer, onField: (field: number, value: Buffer) => void): void {
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    offset = afterKey;
    if (wireType === 0) offset = readVarint(buffer, offset)[1];
    else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else if (wireType === 2) {
      const [length, afterLength] = readVarint(buffer, offset);
      const end = afterLength + length;
      if (end > buffer.length) throw new Error(`malformed protobuf: field ${field} runs past the end`);
      onField(field, buffer.subarray(afterLength, end));
      offset = end;
    } else throw new Error(`malformed protobuf: unsupported wire type ${wireType} at byte ${offset}`);
  }
  if (offset !== buffer.length) throw new Error('malformed protobuf: truncated field');
}

/**
 * Spans in an OTLP/protobuf `ExportTraceServiceRequest`: resource_spans (1) → scope_spans (2) →
 * spans (2), counted by walking the wire format (no schema needed for a count).
 */
export function countProtobufSpans(body: Buffer): number {
  let count = 0;
  forEachLengthDelimited(body, (field, resourceSpans) => {
    if (field !== 1) return;
    forEachLengthDelimited(resourceSpans, (field2, scopeSpans) => {
      if (field2 !== 2) return;
      forEachLengthDelimited(scopeSpans, (field3) => {
        if (field3 === 2) count++;
      });
    });
  });
  return count;
}

/** Starts a receiver on 127.0.0.1 and a free port. */
export async function start(): Promise<OtlpReceiver> {
  let spans = 0;
  let requests = 0;
  let bytes = 0;
  let rejected = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/traces') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only POST /v1/traces is served\n');
        return;
      }
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        let count: number;
        if (contentType === 'application/json') count = countJsonSpans(body);
        else if (contentType === 'application/x-protobuf') count = countProtobufSpans(body);
        else throw new Error(`content-type: expected application/json or application/x-protobuf, got "${contentType}"`);
        requests++;
        bytes += body.length;
        spans += count;
        // An empty ExportTraceServiceResponse (no partial_success) in the request's own encoding.
        if (contentType === 'application/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (err) {
        rejected++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spanCount: () => spans,
    requestCount: () => requests,
    byteCount: () => bytes,
    rejectedCount: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
