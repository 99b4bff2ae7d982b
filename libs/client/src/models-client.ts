import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AiaasError, invalidArgument, isAiaasError } from './errors';
import type { RestTransport, UploadBody } from './rest-transport';
import type {
  Alias,
  CallOptions,
  CreateModelRequest,
  DownloadOptions,
  DownloadResult,
  ListModelsOptions,
  Model,
  ModelPage,
  PageOptions,
  SetAliasOptions,
  UpdateModelRequest,
  UploadOptions,
  Version,
  VersionPage,
} from './types';

const enc = encodeURIComponent;

function positiveVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw invalidArgument(`version: expected a positive integer, got ${String(version)}`);
  }
  return version;
}

function keyValues(map: Readonly<Record<string, string>> | undefined): string[] | undefined {
  return map === undefined ? undefined : Object.entries(map).map(([k, v]) => `${k}=${v}`);
}

/** Models, versions (streamed upload and download) and aliases: `/v1/models`. */
export class ModelsClient {
  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly rest: RestTransport) {}

  /** One page of the tenant's models. */
  list(options: ListModelsOptions = {}): Promise<ModelPage> {
    const { page_size, page_token, tag, name_prefix, ...call } = options;
    return this.rest.json({
      method: 'GET',
      path: '/v1/models',
      query: { page_size, page_token, tag, name_prefix },
      options: call,
    });
  }

  /** Every model, page after page. */
  async *listAll(options: Omit<ListModelsOptions, 'page_token'> = {}): AsyncGenerator<Model> {
    let page_token = '';
    do {
      const page = await this.list({ ...options, page_token });
      yield* page.models;
      page_token = page.next_page_token;
    } while (page_token !== '');
  }

  get(name: string, options?: CallOptions): Promise<Model> {
    return this.rest.json({ method: 'GET', path: `/v1/models/${enc(name)}`, options });
  }

  create(model: CreateModelRequest, options?: CallOptions): Promise<Model> {
    return this.rest.json({ method: 'POST', path: '/v1/models', body: model, options });
  }

  /** Replaces the fields given. */
  update(name: string, changes: UpdateModelRequest, options?: CallOptions): Promise<Model> {
    return this.rest.json({ method: 'PATCH', path: `/v1/models/${enc(name)}`, body: changes, options });
  }

  /** Deletes the model, its versions and aliases. */
  async remove(name: string, options?: CallOptions): Promise<void> {
    await this.rest.json({ method: 'DELETE', path: `/v1/models/${enc(name)}`, options });
  }

  /** One page of the model's versions. */
  versions(name: string, options: PageOptions = {}): Promise<VersionPage> {
    const { page_size, page_token, ...call } = options;
    return this.rest.json({
      method: 'GET',
      path: `/v1/models/${enc(name)}/versions`,
      query: { page_size, page_token },
      options: call,
    });
  }

  getVersion(name: string, version: number, options?: CallOptions): Promise<Version> {
    return this.rest.json({
      method: 'GET',
      path: `/v1/models/${enc(name)}/versions/${positiveVersion(version)}`,
      options,
    });
  }

  async removeVersion(name: string, version: number, options?: CallOptions): Promise<void> {
    await this.rest.json({
      method: 'DELETE',
      path: `/v1/models/${enc(name)}/versions/${positiveVersion(version)}`,
      options,
    });
  }

  /**
   * Uploads a new version of `name` from a file path, a stream or bytes, streamed as
   * `application/octet-stream` with back-pressure (never held whole), calling `onProgress` as bytes
   * leave. Returns the new version (signature, sha256, size) once the registry validated it.
   */
  async upload(name: string, source: string | Readable | Uint8Array, options: UploadOptions = {}): Promise<Version> {
    if (name === '') throw invalidArgument('upload: expected a model name');
    const body = await uploadBody(source, options.sizeBytes);
    if (options.createModel === true) {
      try {
        await this.create({ name }, { ...(options.signal === undefined ? {} : { signal: options.signal }) });
      } catch (err) {
        if (!(isAiaasError(err) && err.code === 'ALREADY_EXISTS')) {
          body.stream.destroy();
          throw err;
        }
      }
    }
    return this.rest.upload<Version>(
      `/v1/models/${enc(name)}/versions`,
      { tag: keyValues(options.tags), metadata: keyValues(options.metadata) },
      body,
      options,
    );
  }

  /**
   * Downloads a version's artifact into a file path or a writable stream, streamed, checking the
   * bytes against the sha256 the gateway reports. A file path is written only as the bytes come.
   */
  async download(
    name: string,
    version: number,
    destination: string | Writable,
    options: DownloadOptions = {},
  ): Promise<DownloadResult> {
    const path = `/v1/models/${enc(name)}/versions/${positiveVersion(version)}/artifact`;
    const { response, dispose, ended } = await this.rest.stream(
      path,
      { accept: 'application/octet-stream' },
      {
        deadlineMs: options.deadlineMs,
        signal: options.signal,
        idleMs: 120_000,
      },
    );
    const lengthHeader = response.headers['content-length'];
    const totalBytes = lengthHeader === undefined ? undefined : Number(lengthHeader);
    const expectedSha = response.headers['x-aiaas-sha256'];
    const hash = createHash('sha256');
    let bytes = 0;
    let reported = 0;
    const progress = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        if (options.onProgress !== undefined && (bytes - reported >= 64 * 1024 || bytes === totalBytes)) {
          reported = bytes;
          options.onProgress({ bytes, ...(totalBytes === undefined ? {} : { totalBytes }) });
        }
        done(null, chunk);
      },
    });
    const sink = typeof destination === 'string' ? createWriteStream(destination) : destination;
    try {
      await pipeline(response, progress, sink);
    } catch (err) {
      throw (
        ended() ??
        (isAiaasError(err)
          ? err
          : new AiaasError(
              'UNAVAILABLE',
              `GET ${path}: the download broke off after ${bytes} bytes (${(err as Error).message})`,
              undefined,
              { cause: err },
            ))
      );
    } finally {
      dispose();
    }
    if (options.onProgress !== undefined && reported !== bytes)
      options.onProgress({ bytes, ...(totalBytes === undefined ? {} : { totalBytes }) });
    if (totalBytes !== undefined && bytes !== totalBytes) {
      throw new AiaasError('UNAVAILABLE', `GET ${path}: expected ${totalBytes} bytes, got ${bytes}`);
    }
    const sha256 = hash.digest('hex');
    if (typeof expectedSha === 'string' && expectedSha !== '' && expectedSha !== sha256) {
      throw new AiaasError(
        'INTERNAL',
        `GET ${path}: sha256 mismatch: the gateway said ${expectedSha}, received bytes hash to ${sha256}`,
      );
    }
    return { bytes, sha256 };
  }

  /** Points `alias` at `version` (with an optional canary share); deployments following it roll over. */
  setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<Alias> {
    const { canary_version, canary_percent, ...call } = options;
    return this.rest.json({
      method: 'PUT',
      path: `/v1/models/${enc(name)}/aliases/${enc(alias)}`,
      body: {
        version: positiveVersion(version),
        ...(canary_version === undefined ? {} : { canary_version }),
        ...(canary_percent === undefined ? {} : { canary_percent }),
      },
      options: call,
    });
  }

  async deleteAlias(name: string, alias: string, options?: CallOptions): Promise<void> {
    await this.rest.json({ method: 'DELETE', path: `/v1/models/${enc(name)}/aliases/${enc(alias)}`, options });
  }
}

async function uploadBody(source: string | Readable | Uint8Array, sizeBytes: number | undefined): Promise<UploadBody> {
  if (typeof source === 'string') {
    let size: number;
    try {
      const info = await stat(source);
      if (!info.isFile()) throw invalidArgument(`upload: "${source}" is not a file`);
      size = info.size;
    } catch (err) {
      if (isAiaasError(err)) throw err;
      throw invalidArgument(
        `upload: cannot read "${source}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    return { stream: createReadStream(source), sizeBytes: size, replay: () => createReadStream(source) };
  }
  if (source instanceof Uint8Array) {
    const bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    // Chunked so progress moves and the socket's back-pressure applies.
    const open = () => Readable.from(chunks(bytes), { objectMode: false });
    return { stream: open(), sizeBytes: bytes.length, replay: open };
  }
  if (typeof (source as Readable | undefined)?.pipe !== 'function') {
    throw invalidArgument('upload: expected a file path, a Readable stream or bytes');
  }
  return { stream: source, sizeBytes };
}

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += 256 * 1024) yield bytes.subarray(at, at + 256 * 1024);
}
