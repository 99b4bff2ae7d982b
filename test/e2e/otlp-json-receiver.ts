import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as OTLP/JSON carries it (ids in hex, kind 1 internal, 2 server, 3 client). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
}

/** A span with the `service.name` of the resource that exported it. */
export interface ReceivedSpan extends OtlpSpan {
  service: string;
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A loopback OTLP/HTTP receiver for `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json` exporters. */
export interface OtlpJsonReceiver {
  url: string;
  /** Every span received so far, with its service name. */
  spans(): ReceivedSpan[];
  /** Waits until `done(spans of traceId)` holds (or `timeoutMs` passes) and returns that trace's spans. */
  waitForTrace(traceId: string, done: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 and a free port that keeps every JSON export posted to /v1/traces. */
export async function startOtlpJsonReceiver(): Promise<OtlpJsonReceiver> {
  const received: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/v1/traces' ||
        !req.headers['content-type']?.startsWith('application/json')
      ) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resource of body.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) received.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    async waitForTrace(traceId, done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const ours = (): ReceivedSpan[] => received.filter((s) => s.traceId === traceId);
      while (!done(ours()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return ours();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `traceparent` for a new sampled trace: the ids to find it by, and the header value. */
export function newTraceparent(): { traceId: string; spanId: string; header: string } {
  const hex = (bytes: number): string =>
    Array.from({ length: bytes }, () =>
      Math.floor(Math.random() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join('');
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

/** Span ids from `span` up to the root, following parentSpanId within `spans`. */
export function ancestry(span: OtlpSpan, spans: readonly OtlpSpan[]): OtlpSpan[] {
  const chain: OtlpSpan[] = [];
  let current: OtlpSpan | undefined = span;
  while (current && chain.length < 100) {
    chain.push(current);
    const parent: string | undefined = current.parentSpanId;
    current = parent ? spans.find((s) => s.spanId === parent) : undefined;
  }
  return chain;
}

/** A readable list of a trace's spans for failure messages: `service name (kind) id <- parent`. */
export function describeSpans(spans: readonly ReceivedSpan[]): string {
  return spans.map((s) => `${s.service} ${s.name} (kind ${s.kind}) ${s.spanId} <- ${s.parentSpanId || '-'}`).join('\n');
}
