import * as grpc from '@grpc/grpc-js';
import type { ServiceDefinition, ServiceError } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { clientTracingInterceptors, grpcTracingEnabled, serverTracingInterceptors } from './grpc-tracing';
import { installInMemoryTracing } from './in-memory-tracing';
import type { InMemoryTracing } from './in-memory-tracing';

// A hand-made service with JSON messages: the interceptors know nothing of protobuf.
interface Message {
  text: string;
  /** A gRPC status code the server answers with instead of OK. */
  fail?: number;
}
const json = {
  serialize: (value: Message) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as Message,
};
const method = (name: string, requestStream: boolean) => ({
  path: `/test.v1.Echo/${name}`,
  requestStream,
  responseStream: false,
  requestSerialize: json.serialize,
  requestDeserialize: json.deserialize,
  responseSerialize: json.serialize,
  responseDeserialize: json.deserialize,
});
const ECHO_SERVICE = {
  Echo: method('Echo', false),
  Collect: method('Collect', true),
  Hang: method('Hang', false),
} satisfies ServiceDefinition;

const EchoClient = grpc.makeGenericClientConstructor(ECHO_SERVICE, 'Echo');
type UnaryCall = (
  request: Message,
  options: grpc.CallOptions,
  callback: (err: ServiceError | null, response?: Message) => void,
) => grpc.ClientUnaryCall;

/** The server's active span, seen where each handler runs. */
const seenInHandler: Record<string, (SpanContext & { recording: boolean }) | undefined> = {};
function noteActiveSpan(handler: string): void {
  const span = trace.getActiveSpan();
  seenInHandler[handler] = span && { ...span.spanContext(), recording: span.isRecording() };
}

async function startServer(): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ interceptors: serverTracingInterceptors() });
  server.addService(ECHO_SERVICE, {
    Echo(call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) {
      noteActiveSpan('Echo');
      const { text, fail } = call.request;
      if (fail !== undefined) callback({ code: fail, details: `failing with ${fail}` });
      else callback(null, { text });
    },
    Collect(call: grpc.ServerReadableStream<Message, Message>, callback: grpc.sendUnaryData<Message>) {
      noteActiveSpan('Collect');
      const texts: string[] = [];
      call.on('data', (message: Message) => {
        // Stream events run in the server span's context too.
        if (trace.getActiveSpan()?.spanContext().spanId === seenInHandler['Collect']?.spanId) texts.push(message.text);
      });
      call.on('end', () => callback(null, { text: texts.join(',') }));
    },
    Hang() {
      // Never answers: the client's deadline ends the call.
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return { server, port };
}

describe('gRPC tracing interceptors (real server and client on loopback, in-memory exporter)', () => {
  let tracing: InMemoryTracing;
  let server: grpc.Server;
  let client: grpc.Client;
  let target: string;
  let port: number;

  const unary = (name: 'Echo' | 'Hang', request: Message, options: grpc.CallOptions = {}): Promise<Message> =>
    new Promise((resolve, reject) => {
      const call = (client as unknown as Record<string, UnaryCall>)[name]!.bind(client);
      call(request, options, (err, response) => (err ? reject(err) : resolve(response!)));
    });
  const byKind = (kind: SpanKind, name: string): ReadableSpan | undefined =>
    tracing.spans().find((s) => s.kind === kind && s.name === name);
  const attributeOf = (span: ReadableSpan | undefined, key: string) => span?.attributes[key];

  beforeAll(async () => {
    tracing = installInMemoryTracing();
    ({ server, port } = await startServer());
    target = `127.0.0.1:${port}`;
    client = new EchoClient(target, grpc.credentials.createInsecure(), {
      interceptors: clientTracingInterceptors(target),
    });
  });
  afterAll(async () => {
    client.close();
    server.forceShutdown();
    await tracing.shutdown();
  });
  beforeEach(() => tracing.reset());

  it('gives a call a client span and a server span in one trace, with the RPC conventions’ attributes', async () => {
    const { traceId, parentId } = await trace.getTracer('test').startActiveSpan('caller', async (caller) => {
      await unary('Echo', { text: 'hi' });
      caller.end();
      return { traceId: caller.spanContext().traceId, parentId: caller.spanContext().spanId };
    });
    const clientSpan = byKind(SpanKind.CLIENT, 'test.v1.Echo/Echo');
    const serverSpan = byKind(SpanKind.SERVER, 'test.v1.Echo/Echo');
    expect(clientSpan?.spanContext().traceId).toBe(traceId);
    expect(clientSpan?.parentSpanContext?.spanId).toBe(parentId);
    expect(serverSpan?.spanContext().traceId).toBe(traceId);
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
    expect(seenInHandler['Echo']?.spanId).toBe(serverSpan?.spanContext().spanId);
    for (const span of [clientSpan, serverSpan]) {
      expect(span?.attributes).toMatchObject({
        'rpc.system': 'grpc',
        'rpc.service': 'test.v1.Echo',
        'rpc.method': 'Echo',
        'rpc.grpc.status_code': grpc.status.OK,
      });
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(clientSpan?.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': port });
  });

  it('runs a request-streaming handler and its stream events in the server span', async () => {
    const response = await new Promise<Message>((resolve, reject) => {
      const call = (
        client as unknown as Record<
          string,
          (cb: (e: ServiceError | null, r?: Message) => void) => grpc.ClientWritableStream<Message>
        >
      )['Collect']!.bind(client)((err, reply) => (err ? reject(err) : resolve(reply!)));
      call.write({ text: 'a' });
      call.write({ text: 'b' });
      call.end();
    });
    const serverSpan = byKind(SpanKind.SERVER, 'test.v1.Echo/Collect');
    expect(seenInHandler['Collect']?.spanId).toBe(serverSpan?.spanContext().spanId);
    // Only messages whose 'data' listener saw the server span active were kept.
    expect(response.text).toBe('a,b');
    expect(attributeOf(serverSpan, 'rpc.grpc.status_code')).toBe(grpc.status.OK);
  });

  it('marks a client span an error on any non-OK code, a server span only when the server failed', async () => {
    await expect(unary('Echo', { text: 'x', fail: grpc.status.INVALID_ARGUMENT })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    let clientSpan = byKind(SpanKind.CLIENT, 'test.v1.Echo/Echo');
    let serverSpan = byKind(SpanKind.SERVER, 'test.v1.Echo/Echo');
    expect(attributeOf(clientSpan, 'rpc.grpc.status_code')).toBe(grpc.status.INVALID_ARGUMENT);
    expect(attributeOf(serverSpan, 'rpc.grpc.status_code')).toBe(grpc.status.INVALID_ARGUMENT);
    expect(clientSpan?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'failing with 3' });
    expect(serverSpan?.status.code).toBe(SpanStatusCode.UNSET);

    tracing.reset();
    await expect(unary('Echo', { text: 'x', fail: grpc.status.UNAVAILABLE })).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
    clientSpan = byKind(SpanKind.CLIENT, 'test.v1.Echo/Echo');
    serverSpan = byKind(SpanKind.SERVER, 'test.v1.Echo/Echo');
    expect(serverSpan?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'failing with 14' });
    expect(clientSpan?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends both spans when the client gives up: DEADLINE_EXCEEDED on the client, CANCELLED on the server', async () => {
    await expect(unary('Hang', { text: 'x' }, { deadline: Date.now() + 100 })).rejects.toMatchObject({
      code: grpc.status.DEADLINE_EXCEEDED,
    });
    let serverSpan: ReadableSpan | undefined;
    for (let i = 0; i < 100 && !serverSpan; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      serverSpan = byKind(SpanKind.SERVER, 'test.v1.Echo/Hang');
    }
    expect(attributeOf(byKind(SpanKind.CLIENT, 'test.v1.Echo/Hang'), 'rpc.grpc.status_code')).toBe(
      grpc.status.DEADLINE_EXCEEDED,
    );
    expect(attributeOf(serverSpan, 'rpc.grpc.status_code')).toBe(grpc.status.CANCELLED);
  });

  it('follows a caller that is not sampled: no span is recorded on either side, the flag travels on', async () => {
    const unsampled = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 0,
      isRemote: true,
    });
    await trace
      .getTracer('test')
      .startActiveSpan('caller', {}, trace.setSpan(ROOT_CONTEXT, unsampled), async (span) => {
        await unary('Echo', { text: 'quiet' });
        span.end();
      });
    expect(tracing.spans()).toEqual([]);
    // The handler still ran in that trace, under a span that records nothing.
    expect(seenInHandler['Echo']).toMatchObject({ traceId: unsampled.spanContext().traceId, recording: false });
  });

  it('leaves health checks untraced', async () => {
    const { HealthImplementation } = await import('grpc-health-check');
    const { server: healthServer, port: healthPort } = await (async () => {
      const s = new grpc.Server({ interceptors: serverTracingInterceptors() });
      new HealthImplementation({ '': 'SERVING' }).addToServer(s);
      const p = await new Promise<number>((resolve, reject) =>
        s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
          err ? reject(err) : resolve(bound),
        ),
      );
      return { server: s, port: p };
    })();
    try {
      const HealthClient = grpc.makeGenericClientConstructor(
        {
          Check: {
            path: '/grpc.health.v1.Health/Check',
            requestStream: false,
            responseStream: false,
            requestSerialize: () => Buffer.alloc(0),
            requestDeserialize: () => ({}),
            responseSerialize: () => Buffer.alloc(0),
            responseDeserialize: (bytes: Buffer) => bytes,
          },
        },
        'Health',
      );
      const health = new HealthClient(`127.0.0.1:${healthPort}`, grpc.credentials.createInsecure());
      await new Promise<void>((resolve, reject) =>
        (health as unknown as Record<string, (r: object, cb: (e: ServiceError | null) => void) => void>)['Check']!.call(
          health,
          {},
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      health.close();
      expect(tracing.spans().filter((s) => s.kind === SpanKind.SERVER)).toEqual([]);
    } finally {
      healthServer.forceShutdown();
    }
  });

  it('adds no interceptor at all while tracing is off', async () => {
    await tracing.shutdown();
    try {
      expect(grpcTracingEnabled()).toBe(false);
      expect(serverTracingInterceptors()).toEqual([]);
      expect(clientTracingInterceptors(target)).toEqual([]);
    } finally {
      tracing = installInMemoryTracing();
    }
    expect(serverTracingInterceptors()).toHaveLength(1);
  });
});
