import { Server, ServerCredentials, credentials, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import type { Client, ServiceError, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { unaryCall } from './upstream-call';

const bytes = (b: Buffer): Buffer => b;
const ECHO: ServiceDefinition = {
  Echo: {
    path: '/test.Upstream/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  },
};

type EchoClient = Client & {
  Echo(request: Buffer, callback: (err: ServiceError | null, response?: Buffer) => void): unknown;
};

describe('unaryCall (a real grpc-js server on loopback)', () => {
  let server: Server;
  let client: EchoClient;

  beforeAll(async () => {
    server = new Server();
    const implementation: UntypedServiceImplementation = {
      Echo: (call: { request: Buffer }, callback: (err: Partial<ServiceError> | null, value?: Buffer) => void) => {
        const text = call.request.toString();
        if (text === 'fail') callback({ code: status.RESOURCE_EXHAUSTED, details: 'queue full' });
        else callback(null, Buffer.from(text.toUpperCase()));
      },
    };
    server.addService(ECHO, implementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    const Echo = makeGenericClientConstructor(ECHO, 'Upstream');
    client = new Echo(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as EchoClient;
  });

  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('resolves with the response and leaves the stack trace limit as it was', async () => {
    const limit = Error.stackTraceLimit;
    await expect(unaryCall<Buffer>((cb) => client.Echo(Buffer.from('hello'), cb))).resolves.toEqual(
      Buffer.from('HELLO'),
    );
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('rejects with the status and details, without the caller stack grpc-js would have captured', async () => {
    const limit = Error.stackTraceLimit;
    const failure = await unaryCall<Buffer>((cb) => client.Echo(Buffer.from('fail'), cb)).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: status.RESOURCE_EXHAUSTED, details: 'queue full' });
    // grpc-js appends "for call at" and the stack captured when the call started; none was captured.
    expect((failure as Error).stack).toContain('queue full');
    expect((failure as Error).stack).not.toMatch(/for call at\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);

    // The same call made directly carries that stack: the assertion above can fail.
    const direct = await new Promise<ServiceError>((resolve) =>
      client.Echo(Buffer.from('fail'), (err) => resolve(err!)),
    );
    expect(direct.stack).toMatch(/for call at\n\s+at /);
  });

  it('rejects with what starting the call threw, and restores the limit', async () => {
    const limit = Error.stackTraceLimit;
    const refused = new TypeError('bad request object');
    await expect(
      unaryCall(() => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
