import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServerUnaryCall, UntypedHandleCall, UntypedServiceImplementation, sendUnaryData } from '@grpc/grpc-js';
import { loadInferencePackage } from '@aiaas/proto';
import type { ModelInferRequest__Output, ModelInferResponse } from '@aiaas/proto';
import { AiaasClient, AiaasError } from './index';

/**
 * The inference client against a scripted gRPC server on loopback (and a scripted token
 * endpoint): which statuses are retried, a refused OAuth2 token replaced once, cancellation, and
 * what goes on the wire (model name and version, metadata, raw contents).
 */
interface Script {
  /** Answers each ModelInfer; return a status code to fail with it. */
  infer: (request: ModelInferRequest__Output, authorization: string) => number | undefined;
}

async function startServer(script: Script): Promise<{ address: string; close: () => Promise<void> }> {
  const server = new Server();
  const unimplemented = (_call: unknown, callback: sendUnaryData<unknown>) =>
    callback({ code: status.UNIMPLEMENTED, details: 'not here' });
  const service = loadInferencePackage().inference.GRPCInferenceService.service;
  const handlers: UntypedServiceImplementation = {};
  for (const name of Object.keys(service)) handlers[name] = unimplemented as UntypedHandleCall;
  handlers['ModelInfer'] = ((
    call: ServerUnaryCall<ModelInferRequest__Output, ModelInferResponse>,
    callback: sendUnaryData<ModelInferResponse>,
  ) => {
    const authorization = String(call.metadata.get('authorization')[0] ?? '');
    const code = script.infer(call.request, authorization);
    if (code !== undefined) return callback({ code, details: `scripted ${status[code]}` });
    // Echo the first input back as the output.
    callback(null, {
      model_name: call.request.model_name,
      model_version: call.request.model_version || '1',
      id: call.request.id,
      outputs: [{ name: 'echo', datatype: call.request.inputs[0]!.datatype, shape: call.request.inputs[0]!.shape }],
      raw_output_contents: [call.request.raw_input_contents[0]!],
      parameters: { seen: { string_param: authorization } },
    });
  }) as UntypedHandleCall;
  server.addService(service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

const input = { x: { shape: [2], data: Float32Array.of(1.5, -2) } };

describe('InferenceClient (scripted gRPC server)', () => {
  it('retries UNAVAILABLE with back-off, never other failures', async () => {
    const calls: string[] = [];
    let failuresLeft = 3;
    const server = await startServer({
      infer: (request) => {
        calls.push(request.model_name);
        if (request.model_name === 'flaky' && failuresLeft-- > 0) return status.UNAVAILABLE;
        if (request.model_name === 'bad') return status.INVALID_ARGUMENT;
        if (request.model_name === 'down') return status.UNAVAILABLE;
        return undefined;
      },
    });
    const client = new AiaasClient({
      url: 'http://127.0.0.1:1',
      apiKey: 'k',
      grpcAddress: server.address,
      retries: 4,
      retryBaseDelayMs: 5,
    });
    try {
      const result = await client.inference.infer('flaky', input);
      expect(result.outputs['echo']).toEqual({
        name: 'echo',
        datatype: 'FP32',
        shape: [2],
        data: Float32Array.of(1.5, -2),
      });
      expect(calls.filter((c) => c === 'flaky')).toHaveLength(4);
      await expect(client.inference.infer('bad', input)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        grpcCode: 3,
      });
      expect(calls.filter((c) => c === 'bad')).toHaveLength(1);
      await expect(client.inference.infer('down', input)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: 'scripted UNAVAILABLE',
      });
      expect(calls.filter((c) => c === 'down')).toHaveLength(5);
      // Per call: no retries.
      await expect(client.inference.infer('down', input, { retries: 0 })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
      expect(calls.filter((c) => c === 'down')).toHaveLength(6);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('sends name@alias or name + version, the request id, and the bearer credentials', async () => {
    const seen: ModelInferRequest__Output[] = [];
    const server = await startServer({ infer: (request) => void seen.push(request) });
    const client = new AiaasClient({ url: 'http://127.0.0.1:1', apiKey: 'aiaas_key', grpcAddress: server.address });
    try {
      const result = await client.inference.infer('m@prod', input, { id: 'r1', parameters: { priority: 2, tag: 'a' } });
      expect(result).toMatchObject({ modelName: 'm@prod', id: 'r1', parameters: { seen: 'Bearer aiaas_key' } });
      await client.inference.infer('m:3', input);
      expect(seen.map((r) => [r.model_name, r.model_version])).toEqual([
        ['m@prod', ''],
        ['m', '3'],
      ]);
      expect(seen[0]!.parameters['priority']).toMatchObject({ int64_param: '2' });
      expect(seen[0]!.raw_input_contents[0]).toEqual(Buffer.from(Float32Array.of(1.5, -2).buffer));
      // Methods the server does not implement map to a platform code too.
      await expect(client.inference.modelReady('m')).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        grpcCode: 12,
      });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('replaces a refused OAuth2 token once and retries the call', async () => {
    let issued = 0;
    let valid = '';
    const tokens = http.createServer((request, response) => {
      issued += 1;
      valid = `Bearer jwt${issued}`;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: `jwt${issued}`, token_type: 'Bearer', expires_in: 900 }));
      request.resume();
    });
    await new Promise<void>((resolve) => tokens.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(tokens.address() as AddressInfo).port}`;
    let refuseAll = false;
    const server = await startServer({
      infer: (_request, authorization) => (refuseAll || authorization !== valid ? status.UNAUTHENTICATED : undefined),
    });
    const client = new AiaasClient({ url, clientId: 'c', clientSecret: 's', grpcAddress: server.address });
    try {
      await client.inference.infer('m', input);
      expect(issued).toBe(1);
      // The server forgets the token (keys rotated): one new token, the call goes through.
      valid = 'Bearer something-else';
      const result = await client.inference.infer('m', input);
      expect(issued).toBe(2);
      expect(result.parameters['seen']).toBe('Bearer jwt2');
      // Refused again with the fresh token: no loop, UNAUTHENTICATED after one refresh.
      refuseAll = true;
      await expect(client.inference.infer('m', input)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(issued).toBe(3);
    } finally {
      client.close();
      await server.close();
      tokens.closeAllConnections();
      await new Promise<void>((resolve) => tokens.close(() => resolve()));
    }
  });

  it('cancels a call on abort and refuses calls after close()', async () => {
    const server = await startServer({ infer: () => status.UNAVAILABLE });
    const client = new AiaasClient({
      url: 'http://127.0.0.1:1',
      apiKey: 'k',
      grpcAddress: server.address,
      retryBaseDelayMs: 200,
      retries: 50,
    });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const err = await client.inference.infer('m', input, { signal: controller.signal }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AiaasError);
      expect(err).toMatchObject({ code: 'CANCELLED' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      client.close();
      await server.close();
    }
    await expect(client.inference.infer('m', input)).rejects.toMatchObject({ code: 'CANCELLED', message: /closed/ });
  });
});
