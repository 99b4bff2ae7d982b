import { credentials } from '@grpc/grpc-js';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { loadInferencePackage } from '@aiaas/proto';
import type { GRPCInferenceServiceClient } from '@aiaas/proto';

export type InferenceClient = GRPCInferenceServiceClient;

/** A stock Open Inference Protocol client, generated from protos/inference.proto, on loopback. */
export function createInferenceClient(port: number, maxMessageBytes = 256 * 1024 * 1024): InferenceClient {
  const { inference } = loadInferencePackage();
  return new inference.GRPCInferenceService(`127.0.0.1:${port}`, credentials.createInsecure(), {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
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
