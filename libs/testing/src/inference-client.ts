import { credentials } from '@grpc/grpc-js';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { loadInferencePackage } from '@aiaas/proto';
import type { GRPCInferenceServiceClient } from '@aiaas/proto';
import { clientTracingInterceptors } from '@aiaas/telemetry';

export type InferenceClient = GRPCInferenceServiceClient;

/** A stock Open Inference Protocol client, generated from protos/inference.proto, on loopback. */
export function createInferenceClient(port: number, maxMessageBytes = 256 * 1024 * 1024): InferenceClient {
  const { inference } = loadInferencePackage();
  const address = `127.0.0.1:${port}`;
  return new inference.GRPCInferenceService(address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    // A client span per call in tests that turned tracing on (installInMemoryTracing); none otherwise.
    interceptors: clientTracingInterceptors(address),
  });
}

type UnaryMethod<Req, Res> = (
  request: Req,
  options: CallOptions,
  callback: (err: ServiceError | null, response?: Res) => void,
) => unknown;

/** Promise form of a unary call; rejects with the ServiceError (code, details). */
export function callUnary<Req, Res>(
  client: InferenceClient,
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: CallOptions = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, options, (err, response) => (err ? reject(err) : resolve(response as Res)));
  });
}
