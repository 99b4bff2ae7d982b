import { writeWithBackPressure } from '@aiaas/common';
import { credentials } from '@grpc/grpc-js';
import type { CallOptions, ChannelOptions, ClientWritableStream, Metadata, ServiceError } from '@grpc/grpc-js';
import { loadRegistryPackage } from '@aiaas/proto';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  DownloadVersionRequest,
  DownloadVersionResponse__Output,
  ModelRegistryClient,
  ModelRegistryDefinition,
  UploadVersionHeader,
  UploadVersionRequest,
  UploadVersionResponse__Output,
} from '@aiaas/proto';
import { clientTracingInterceptors } from '@aiaas/telemetry';

export type RegistryClient = ModelRegistryClient;

/**
 * Channel options for moving artifacts: HTTP/2 flow-control windows far above the 64 KiB default,
 * so a 1 MiB DownloadVersion message is not throttled by a window update per 64 KiB (grpc-js 1.14
 * applies `grpc-node.flow_control_window` to each stream and to the connection).
 */
export const REGISTRY_CLIENT_OPTIONS: ChannelOptions = {
  'grpc-node.flow_control_window': 16 * 1024 * 1024,
};

/** A generated `aiaas.registry.v1.ModelRegistry` client on loopback. */
export function createRegistryClient(port: number, host = '127.0.0.1'): RegistryClient {
  const { ModelRegistry } = loadRegistryPackage().aiaas.registry.v1;
  const address = `${host}:${port}`;
  return new ModelRegistry(address, credentials.createInsecure(), {
    ...REGISTRY_CLIENT_OPTIONS,
    interceptors: clientTracingInterceptors(address),
  });
}

type UnaryName = Exclude<keyof ModelRegistryDefinition & string, 'UploadVersion' | 'DownloadVersion'>;
/** What a unary method takes (the send shape) and gives (the receive shape). */
type RequestOf<K extends UnaryName> =
  ModelRegistryDefinition[K] extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut>
    ? Req
    : never;
type ResponseOf<K extends UnaryName> =
  ModelRegistryDefinition[K] extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer Res> ? Res : never;

/** Promise form of a unary registry call by name, with metadata; rejects with the ServiceError (code, details). */
export function registryCall<K extends UnaryName>(
  client: RegistryClient,
  method: K,
  request: RequestOf<K>,
  metadata: Metadata,
  options: CallOptions = {},
): Promise<ResponseOf<K>> {
  const fn = (client as unknown as Record<string, unknown>)[method] as (
    request: RequestOf<K>,
    metadata: Metadata,
    options: CallOptions,
    callback: (err: ServiceError | null, response?: ResponseOf<K>) => void,
  ) => unknown;
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, options, (err, response) =>
      err ? reject(err) : resolve(response as ResponseOf<K>),
    );
  });
}

/**
 * UploadVersion: the header, then every chunk of `chunks`, written with back-pressure.
 * Rejects with the ServiceError the registry answered.
 */
export async function uploadVersion(
  client: RegistryClient,
  metadata: Metadata,
  header: UploadVersionHeader,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: CallOptions = {},
): Promise<UploadVersionResponse__Output> {
  let call!: ClientWritableStream<UploadVersionRequest>;
  const answer = new Promise<UploadVersionResponse__Output>((resolve, reject) => {
    call = client.UploadVersion(metadata, options, (err, response) =>
      err ? reject(err) : resolve(response as UploadVersionResponse__Output),
    );
  });
  // The registry may answer (an error) before it read everything: stop writing then.
  let answered = false;
  answer.then(
    () => (answered = true),
    () => (answered = true),
  );
  await writeWithBackPressure(call, { header });
  for await (const chunk of chunks) {
    if (answered) break;
    await writeWithBackPressure(call, { chunk: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) });
  }
  call.end();
  return answer;
}

/** DownloadVersion gathered in memory (tests only): the bytes, the messages' count and the first message. */
export async function downloadVersion(
  client: RegistryClient,
  metadata: Metadata,
  request: DownloadVersionRequest,
): Promise<{ bytes: Buffer; messages: number; first: DownloadVersionResponse__Output | undefined }> {
  const call = client.DownloadVersion(request, metadata);
  const parts: Buffer[] = [];
  let first: DownloadVersionResponse__Output | undefined;
  let messages = 0;
  for await (const message of call as AsyncIterable<DownloadVersionResponse__Output>) {
    first ??= message;
    messages++;
    parts.push(message.chunk);
  }
  return { bytes: Buffer.concat(parts), messages, first };
}

/** Splits bytes into chunks of `size` (views, no copies). */
export function* chunksOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, Math.min(at + size, bytes.byteLength));
}
