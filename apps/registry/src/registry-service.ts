import type { Metadata, ServerReadableStream, ServerWritableStream } from '@grpc/grpc-js';
import {
  CancelledError,
  InvalidArgumentError,
  ResourceExhaustedError,
  readCaller,
  toAppError,
  toServiceError,
  unaryHandler,
  waitForDrain,
} from '@aiaas/common';
import type { Caller, Logger } from '@aiaas/common';
import type {
  DownloadVersionRequest__Output,
  DownloadVersionResponse,
  ModelRegistryHandlers,
  UploadVersionRequest__Output,
  UploadVersionResponse,
} from '@aiaas/proto';
import type { ModelStore, UpdateModelRequest } from './model-store';
import type { RegistryMetrics, UploadOutcome } from './registry-metrics';
import {
  int64Field,
  jsonObjectField,
  passesField,
  toAliasMessage,
  toAuditMessage,
  toModelMessage,
  toVersionMessage,
  versionField,
} from './registry-mapping';

/** A change other parts of the registry (deployments following an alias, watchers) react to. */
export interface RegistryChangeEvent {
  kind: 'alias-set' | 'alias-deleted' | 'version-created' | 'version-deleted' | 'model-deleted';
  tenant: string;
  model: string;
}

export interface RegistryHandlersOptions {
  /** When set, every call must carry it in `x-aiaas-internal-token` (docs/decisions/internal-metadata.md). */
  internalToken?: string;
  /** The largest artifact UploadVersion accepts, in bytes. */
  maxArtifactBytes: number;
  /** Bytes per DownloadVersion message. @default DEFAULT_DOWNLOAD_CHUNK_BYTES (1 MiB) */
  chunkBytes?: number;
  /** Called after every successful change; a listener that throws is logged, never fails the call. */
  onChange?: (event: RegistryChangeEvent) => void;
  /** Upload/download counters; none are kept when absent. */
  metrics?: RegistryMetrics;
  logger?: Logger;
}

/** Bytes per DownloadVersion message: large enough to amortise framing, far under the 4 MiB message cap. */
export const DEFAULT_DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * DownloadVersion messages handed to grpc-js but not yet written to the HTTP/2 stream (which has
 * its own flow control). With `write() === false → wait for 'drain'` alone, grpc-js's object-mode
 * buffer would hold 16 chunks; this keeps the registry's memory per download at a few chunks.
 */
const MAX_DOWNLOAD_MESSAGES_IN_FLIGHT = 4;

const UPDATE_MASK_FIELDS = ['description', 'tags', 'metadata'] as const;

/**
 * The `aiaas.registry.v1.ModelRegistry` service over a {@link ModelStore}. Every handler reads
 * its caller from trusted metadata (`readCaller`) and answers errors only through `toServiceError`.
 */
export function createRegistryHandlers(store: ModelStore, options: RegistryHandlersOptions): ModelRegistryHandlers {
  const { internalToken, maxArtifactBytes, metrics, logger } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_DOWNLOAD_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
    throw new InvalidArgumentError(`chunkBytes: expected a positive integer, got ${chunkBytes}`);
  }
  const caller = (metadata: Metadata): Caller => readCaller(metadata, internalToken);
  const changed = (kind: RegistryChangeEvent['kind'], who: Caller, model: string): void => {
    if (options.onChange === undefined) return;
    try {
      options.onChange({ kind, tenant: who.tenant, model });
    } catch (err) {
      // The change is committed; a failing listener must not turn it into an error for the caller.
      logger?.error({ err, kind, model }, 'registry change listener failed');
    }
  };

  return {
    CreateModel: unaryHandler(async (request, call) => {
      const model = await store.createModel(caller(call.metadata), {
        name: request.name,
        description: request.description,
        tags: request.tags,
        metadata: request.metadata,
      });
      return { model: toModelMessage(model) };
    }),

    GetModel: unaryHandler(async (request, call) => ({
      model: toModelMessage(await store.getModel(caller(call.metadata), request.name)),
    })),

    ListModels: unaryHandler(async (request, call) => {
      const page = await store.listModels(caller(call.metadata), {
        pageSize: request.page_size,
        pageToken: request.page_token,
        tag: request.tag,
        namePrefix: request.name_prefix,
      });
      return { models: page.models.map(toModelMessage), next_page_token: page.nextPageToken };
    }),

    UpdateModel: unaryHandler(async (request, call) => {
      const who = caller(call.metadata);
      const changes: UpdateModelRequest = {};
      // proto3 cannot tell an empty field from an absent one, so the mask says what to replace.
      // Without a mask, the non-empty fields are replaced (AIP-134); to clear a field, name it.
      const mask =
        request.update_mask.length > 0
          ? request.update_mask
          : UPDATE_MASK_FIELDS.filter((field) =>
              field === 'description' ? request.description !== '' : Object.keys(request[field]).length > 0,
            );
      for (const field of mask) {
        if (field === 'description') changes.description = request.description;
        else if (field === 'tags') changes.tags = request.tags;
        else if (field === 'metadata') changes.metadata = request.metadata;
        else {
          throw new InvalidArgumentError(
            `update_mask: unknown field "${field}"; expected some of ${UPDATE_MASK_FIELDS.join(', ')}`,
          );
        }
      }
      if (mask.length === 0) {
        throw new InvalidArgumentError(
          `nothing to update: set update_mask to some of ${UPDATE_MASK_FIELDS.join(', ')} (or send non-empty fields)`,
        );
      }
      return { model: toModelMessage(await store.updateModel(who, request.name, changes)) };
    }),

    DeleteModel: unaryHandler(async (request, call) => {
      const who = caller(call.metadata);
      await store.deleteModel(who, request.name);
      changed('model-deleted', who, request.name);
      return {};
    }),

    UploadVersion: (call, callback) => {
      upload(call).then(
        (response) => callback(null, response),
        (err: unknown) => callback(toServiceError(err)),
      );
    },

    GetVersion: unaryHandler(async (request, call) => ({
      version: toVersionMessage(
        await store.getVersion(caller(call.metadata), request.model, versionField(request.version)),
      ),
    })),

    ListVersions: unaryHandler(async (request, call) => {
      const descendantsOf = int64Field(request.descendants_of, 'descendants_of');
      const page = await store.listVersions(caller(call.metadata), {
        model: request.model,
        ...(descendantsOf === 0 ? {} : { descendantsOf }),
        pageSize: request.page_size,
        pageToken: request.page_token,
      });
      return { versions: page.versions.map(toVersionMessage), next_page_token: page.nextPageToken };
    }),

    DownloadVersion: (call) => {
      download(call).catch((err: unknown) => {
        // A cancelled call has nobody left to tell; grpc-js already ended it.
        if (!call.cancelled) call.emit('error', toServiceError(err));
      });
    },

    DeleteVersion: unaryHandler(async (request, call) => {
      const who = caller(call.metadata);
      await store.deleteVersion(who, request.model, versionField(request.version));
      changed('version-deleted', who, request.model);
      return {};
    }),

    SetAlias: unaryHandler(async (request, call) => {
      const who = caller(call.metadata);
      const canaryVersion = int64Field(request.canary_version, 'canary_version');
      const alias = await store.setAlias(who, request.model, request.alias, versionField(request.version), {
        version: canaryVersion,
        percent: request.canary_percent,
      });
      changed('alias-set', who, request.model);
      return { alias: toAliasMessage(request.model, alias) };
    }),

    DeleteAlias: unaryHandler(async (request, call) => {
      const who = caller(call.metadata);
      await store.deleteAlias(who, request.model, request.alias);
      changed('alias-deleted', who, request.model);
      return {};
    }),

    ResolveAlias: unaryHandler(async (request, call) => ({
      version: toVersionMessage(await store.resolveAlias(caller(call.metadata), request.reference)),
    })),

    ListAudit: unaryHandler(async (request, call) => {
      const page = await store.listAudit(caller(call.metadata), {
        pageSize: request.page_size,
        pageToken: request.page_token,
      });
      return { entries: page.entries.map(toAuditMessage), next_page_token: page.nextPageToken };
    }),
  };

  async function upload(
    call: ServerReadableStream<UploadVersionRequest__Output, UploadVersionResponse>,
  ): Promise<UploadVersionResponse> {
    let cancelled = false;
    call.once('cancelled', () => (cancelled = true));
    try {
      const who = caller(call.metadata);
      // Reading through the stream's async iterator pulls one message at a time: grpc-js asks the
      // transport for the next one only when its small buffer drains, so a client faster than the
      // disk is held back by HTTP/2 flow control instead of filling memory.
      const messages = (call as AsyncIterable<UploadVersionRequest__Output>)[Symbol.asyncIterator]();
      const first = await messages.next();
      const header = first.done === true ? undefined : first.value.header;
      if (first.done === true || first.value.part !== 'header' || header == null) {
        throw new InvalidArgumentError(
          'UploadVersion: first message must carry the header (model name and metadata), then the artifact in chunks',
        );
      }
      const expected = int64Field(header.expected_size_bytes, 'expected_size_bytes');
      if (expected < 0)
        throw new InvalidArgumentError(`expected_size_bytes: expected 0 (unknown) or more, got ${expected}`);
      if (expected > maxArtifactBytes) {
        throw new ResourceExhaustedError(
          `artifact of ${expected} bytes (expected_size_bytes) is larger than the limit of ${maxArtifactBytes} bytes`,
          { maxBytes: maxArtifactBytes },
        );
      }
      const parent = int64Field(header.parent_version, 'parent_version');
      const record = await store.createVersion(who, {
        model: header.model,
        artifact: artifactChunks(messages),
        tags: header.tags,
        metadata: header.metadata,
        ...(parent === 0 ? {} : { parent }),
        ...(header.job_id === '' ? {} : { jobId: header.job_id }),
        passes: passesField(header.passes),
        metrics: jsonObjectField(header.metrics_json, 'metrics_json'),
        maxBytes: maxArtifactBytes,
      });
      metrics?.uploads.inc({ outcome: 'ok' });
      changed('version-created', who, header.model);
      return { version: toVersionMessage(record) };
    } catch (err) {
      const failure = cancelled ? new CancelledError('upload cancelled by the client; nothing was registered') : err;
      metrics?.uploads.inc({ outcome: uploadOutcome(failure) });
      throw failure;
    }
  }

  /** The artifact bytes of the messages after the header; anything else in the stream is refused. */
  async function* artifactChunks(messages: AsyncIterator<UploadVersionRequest__Output>): AsyncGenerator<Uint8Array> {
    for (let index = 1; ; index++) {
      const next = await messages.next();
      if (next.done === true) return;
      const message = next.value;
      if (message.part !== 'chunk' || message.chunk === undefined) {
        throw new InvalidArgumentError(
          `UploadVersion: message ${index} carries a ${message.part ?? 'nothing'}; only the first message may carry the header, every later one a chunk`,
        );
      }
      metrics?.uploadBytes.inc(message.chunk.byteLength);
      yield message.chunk;
    }
  }

  async function download(
    call: ServerWritableStream<DownloadVersionRequest__Output, DownloadVersionResponse>,
  ): Promise<void> {
    const request = call.request;
    const who = caller(call.metadata);
    const version = versionField(request.version);
    const offset = int64Field(request.offset, 'offset');
    const length = int64Field(request.length, 'length');
    if (offset < 0 || length < 0) {
      throw new InvalidArgumentError(
        `byte range: expected offset >= 0 and length >= 0, got offset ${offset}, length ${length}`,
      );
    }
    const record = await store.getVersion(who, request.model, version);
    const size = record.sizeBytes;
    const end = length === 0 ? size : offset + length;
    if (offset > size || end > size) {
      throw new InvalidArgumentError(
        `byte range [${offset}, ${end}) is outside version ${version} of model "${record.model}" (${size} bytes); expected offset + length <= ${size} (length 0 = to the end)`,
      );
    }
    const { stream } = await store.openVersionArtifact(who, request.model, version, { start: offset, end });
    const onCancel = (): void => void stream.destroy();
    call.once('cancelled', onCancel);
    const inFlight: Promise<void>[] = [];
    let first = true;
    const send = async (chunk: Buffer): Promise<void> => {
      const message: DownloadVersionResponse = first ? { chunk, sha256: record.sha256, size_bytes: size } : { chunk };
      first = false;
      let accepted = true;
      inFlight.push(
        new Promise<void>((resolve) => {
          // The callback fires once grpc-js handed the message to HTTP/2 (or the call ended).
          accepted = call.write(message, () => resolve());
        }),
      );
      if (!accepted) await waitForDrain(call, ['close', 'cancelled']);
      while (inFlight.length > MAX_DOWNLOAD_MESSAGES_IN_FLIGHT) await inFlight.shift();
    };
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const piece of stream as AsyncIterable<Buffer>) {
        if (call.cancelled) return;
        pending.push(piece);
        pendingBytes += piece.byteLength;
        if (pendingBytes < chunkBytes) continue;
        let joined = pending.length === 1 ? piece : Buffer.concat(pending, pendingBytes);
        while (joined.byteLength >= chunkBytes) {
          await send(joined.subarray(0, chunkBytes));
          joined = joined.subarray(chunkBytes);
          if (call.cancelled) return;
        }
        pending = joined.byteLength > 0 ? [joined] : [];
        pendingBytes = joined.byteLength;
      }
      // The remainder, or one message with the sha256 and size when the range is empty.
      if (pendingBytes > 0 || first) await send(Buffer.concat(pending, pendingBytes));
      await Promise.all(inFlight);
      if (call.cancelled) return;
      metrics?.downloads.inc();
      call.end();
    } finally {
      call.off('cancelled', onCancel);
      stream.destroy();
    }
  }
}

function uploadOutcome(err: unknown): UploadOutcome {
  const appError = toAppError(err);
  switch (appError.code) {
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'ALREADY_EXISTS':
      return 'invalid';
    case 'RESOURCE_EXHAUSTED':
    case 'PAYLOAD_TOO_LARGE':
      return 'too_large';
    case 'NOT_FOUND':
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return 'refused';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'error';
  }
}
