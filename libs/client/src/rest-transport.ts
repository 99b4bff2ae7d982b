import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { writeWithBackPressure } from '@aiaas/common';
import type { Credentials } from './auth';
import { AiaasError, fromHttpError, isAiaasError } from './errors';
import { cancelled, withRetries } from './retry';
import type { RetryableCallOptions, TransferProgress } from './types';

/** HTTP methods the /v1 API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter: arrays repeat the key (`tag=a&tag=b`); undefined and "" are left out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One JSON call of the /v1 API. */
export interface JsonCall {
  method: HttpMethod;
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON when given. */
  body?: unknown;
  /** Whether the call carries credentials. @default true */
  auth?: boolean;
  options?: RetryableCallOptions | undefined;
}

/** Settings of a {@link RestTransport}. */
export interface RestTransportOptions {
  baseUrl: URL;
  /** Absent: calls without credentials only (the token endpoint itself, /v1/info). */
  credentials?: Credentials;
  deadlineMs: number;
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  userAgent: string;
}

/** An upload body: a stream, read with back-pressure, or bytes; `replay` reopens it for a second try. */
export interface UploadBody {
  stream: Readable;
  sizeBytes?: number | undefined;
  /** Returns a fresh stream of the same bytes (a file path or bytes), for a retry after a 401. */
  replay?: (() => Readable) | undefined;
}

// Errors raised before any byte of the request left: safe to retry whatever the method.
const NOT_SENT = new WeakSet<object>();
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const PROGRESS_STEP_BYTES = 64 * 1024;
/** Upload/download without a deadline: fail when the connection carried nothing for this long. */
const TRANSFER_IDLE_MS = 120_000;

interface OpenRequest {
  method: HttpMethod;
  path: string;
  query?: Readonly<Record<string, QueryValue>> | undefined;
  headers: OutgoingHttpHeaders;
  /** Absolute deadline; Infinity = none. */
  deadline: number;
  signal?: AbortSignal | undefined;
  idleMs?: number | undefined;
  /** Writes the body and ends the request (default: ends it empty). */
  write?: (request: ClientRequest, stopped: () => boolean) => Promise<void>;
}

/** An open exchange: the response, and the error that ended it on our side (deadline, abort), if any. */
interface Exchange {
  response: IncomingMessage;
  request: ClientRequest;
  /** The deadline or abort error that destroyed the exchange, if one did. */
  ended: () => AiaasError | undefined;
  /** Clears timers and listeners; the socket goes back to the pool once the body was read. */
  dispose: () => void;
}

/**
 * HTTP/1.1 to the gateway's REST API with node:http(s): JSON calls with deadlines, retries on
 * UNAVAILABLE and one retry on 401 with fresh OAuth2 credentials; streamed uploads (back-pressure,
 * progress), streamed downloads and long-lived event streams. Connections are pooled (keep-alive).
 */
export class RestTransport {
  private readonly agent: http.Agent;

  constructor(private readonly options: RestTransportOptions) {
    const Agent = options.baseUrl.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** The origin calls go to, for messages. */
  get origin(): string {
    return this.options.baseUrl.origin;
  }

  /**
   * One JSON call: the parsed answer (undefined for 204). GET, PUT and DELETE are retried on
   * UNAVAILABLE (connection refused or reset, 502/503); POST and PATCH only when the request never
   * left (connection refused), since the gateway may have acted on it.
   */
  async json<T>(call: JsonCall): Promise<T> {
    const { options = {} } = call;
    const deadline = Date.now() + (options.deadlineMs ?? this.options.deadlineMs);
    const idempotent = call.method === 'GET' || call.method === 'PUT' || call.method === 'DELETE';
    const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), 'utf8');
    return withRetries(
      {
        retries: options.retries ?? this.options.retries,
        baseDelayMs: this.options.retryBaseDelayMs,
        maxDelayMs: this.options.retryMaxDelayMs,
        deadline,
        signal: options.signal,
      },
      (err) => isAiaasError(err) && err.code === 'UNAVAILABLE' && (idempotent || NOT_SENT.has(err)),
      () =>
        this.withAuth(call.auth !== false, options.signal, async (authorization) => {
          const headers: OutgoingHttpHeaders = { accept: 'application/json' };
          if (authorization !== undefined) headers.authorization = authorization;
          if (body !== undefined) {
            headers['content-type'] = 'application/json';
            headers['content-length'] = body.length;
          }
          const exchange = await this.open({
            method: call.method,
            path: call.path,
            query: call.query,
            headers,
            deadline,
            signal: options.signal,
            write: async (request) => void request.end(body),
          });
          try {
            const text = await readText(exchange);
            const { statusCode = 0 } = exchange.response;
            if (statusCode < 200 || statusCode >= 300)
              throw fromHttpError(statusCode, text, `${call.method} ${call.path}`);
            if (statusCode === 204 || text === '') return undefined as T;
            try {
              return JSON.parse(text) as T;
            } catch {
              throw new AiaasError(
                'INTERNAL',
                `${call.method} ${call.path}: the gateway answered malformed JSON`,
                undefined,
                {
                  status: statusCode,
                },
              );
            }
          } finally {
            exchange.dispose();
          }
        }),
    );
  }

  /** POSTs a form to the token endpoint (no credentials), with the JSON call's deadline and retries. */
  async form<T>(path: string, fields: Readonly<Record<string, string>>, options?: RetryableCallOptions): Promise<T> {
    const body = Buffer.from(new URLSearchParams(fields).toString(), 'utf8');
    const deadline = Date.now() + (options?.deadlineMs ?? this.options.deadlineMs);
    return withRetries(
      {
        retries: options?.retries ?? this.options.retries,
        baseDelayMs: this.options.retryBaseDelayMs,
        maxDelayMs: this.options.retryMaxDelayMs,
        deadline,
        signal: options?.signal,
      },
      // Asking for a token twice does no harm: retry whatever happened to the first.
      (err) => isAiaasError(err) && err.code === 'UNAVAILABLE',
      async () => {
        const exchange = await this.open({
          method: 'POST',
          path,
          headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': body.length,
          },
          deadline,
          signal: options?.signal,
          write: async (request) => void request.end(body),
        });
        try {
          const text = await readText(exchange);
          const { statusCode = 0 } = exchange.response;
          if (statusCode !== 200) throw fromHttpError(statusCode, text, `POST ${path}`);
          return JSON.parse(text) as T;
        } finally {
          exchange.dispose();
        }
      },
    );
  }

  /**
   * Streams `body` as `application/octet-stream`, writing each chunk only when the socket took the
   * last one ('drain'), so memory stays flat whatever the size; stops writing as soon as the
   * gateway answers (an early 413 or 404). Returns the JSON answer.
   */
  async upload<T>(
    path: string,
    query: Readonly<Record<string, QueryValue>>,
    body: UploadBody,
    options: RetryableCallOptions & { onProgress?: ((progress: TransferProgress) => void) | undefined },
  ): Promise<T> {
    const deadline = options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
    let stream = body.stream;
    let first = true;
    return this.withAuth(true, options.signal, async (authorization) => {
      if (!first) {
        if (body.replay === undefined) {
          throw new AiaasError(
            'UNAUTHENTICATED',
            `POST ${path}: credentials refused and the upload stream cannot be replayed`,
          );
        }
        stream = body.replay();
      }
      first = false;
      const headers: OutgoingHttpHeaders = {
        accept: 'application/json',
        'content-type': 'application/octet-stream',
      };
      if (authorization !== undefined) headers.authorization = authorization;
      if (body.sizeBytes !== undefined) headers['content-length'] = body.sizeBytes;
      else headers['transfer-encoding'] = 'chunked';
      const source = stream;
      let sent = 0;
      let reported = -1;
      const report = (force: boolean) => {
        if (options.onProgress === undefined) return;
        if (!force && sent - reported < PROGRESS_STEP_BYTES) return;
        reported = sent;
        options.onProgress({ bytes: sent, ...(body.sizeBytes === undefined ? {} : { totalBytes: body.sizeBytes }) });
      };
      const exchange = await this.open({
        method: 'POST',
        path,
        query,
        headers,
        deadline,
        signal: options.signal,
        idleMs: TRANSFER_IDLE_MS,
        write: async (request, stopped) => {
          try {
            for await (const chunk of source as AsyncIterable<Buffer | string>) {
              if (stopped()) break;
              const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
              await writeWithBackPressure(request, data);
              sent += data.length;
              report(false);
            }
          } finally {
            if (!source.destroyed) source.destroy();
          }
          if (!stopped()) {
            report(true);
            request.end();
          }
        },
      });
      try {
        const text = await readText(exchange);
        const { statusCode = 0 } = exchange.response;
        if (statusCode < 200 || statusCode >= 300) throw fromHttpError(statusCode, text, `POST ${path}`);
        return JSON.parse(text) as T;
      } finally {
        exchange.dispose();
        // The gateway answered before taking the whole body (an early 413 or 404): drop the rest.
        if (!exchange.request.writableEnded) exchange.request.destroy();
      }
    });
  }

  /**
   * Opens a GET whose body the caller reads as a stream (a download, an event stream). Rejects
   * with the mapped error when the answer is not 2xx. No deadline unless given; the caller must
   * consume or destroy the response, then call `dispose`.
   */
  async stream(
    path: string,
    headers: OutgoingHttpHeaders,
    options: { deadlineMs?: number | undefined; signal?: AbortSignal | undefined; idleMs?: number | undefined },
  ): Promise<{ response: IncomingMessage; dispose: () => void; ended: () => AiaasError | undefined }> {
    const deadline = options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
    return this.withAuth(true, options.signal, async (authorization) => {
      const exchange = await this.open({
        method: 'GET',
        path,
        headers: { ...headers, ...(authorization === undefined ? {} : { authorization }) },
        deadline,
        signal: options.signal,
        idleMs: options.idleMs,
      });
      const { statusCode = 0 } = exchange.response;
      if (statusCode < 200 || statusCode >= 300) {
        try {
          throw fromHttpError(statusCode, await readText(exchange), `GET ${path}`);
        } finally {
          exchange.dispose();
        }
      }
      return { response: exchange.response, dispose: exchange.dispose, ended: exchange.ended };
    });
  }

  /** Ends pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Runs `attempt` with the current credentials, and once more with fresh ones after a 401 they may fix. */
  private async withAuth<T>(
    auth: boolean,
    signal: AbortSignal | undefined,
    attempt: (authorization: string | undefined) => Promise<T>,
  ): Promise<T> {
    const credentials = this.options.credentials;
    if (!auth || credentials === undefined) return attempt(undefined);
    const first = await credentials.authorization(signal);
    try {
      return await attempt(first);
    } catch (err) {
      if (!(isAiaasError(err) && err.code === 'UNAUTHENTICATED' && credentials.rejected(first))) throw err;
      return attempt(await credentials.authorization(signal));
    }
  }

  private url(path: string, query: Readonly<Record<string, QueryValue>> | undefined): URL {
    const base = this.options.baseUrl;
    const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === '') continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  private open(req: OpenRequest): Promise<Exchange> {
    const what = `${req.method} ${req.path}`;
    return new Promise<Exchange>((resolve, reject) => {
      if (req.signal?.aborted === true) return reject(cancelled(req.signal));
      if (Date.now() >= req.deadline) {
        return reject(new AiaasError('DEADLINE_EXCEEDED', `${what}: deadline exceeded before the call started`));
      }
      const url = this.url(req.path, req.query);
      const send = url.protocol === 'https:' ? https.request : http.request;
      const request = send(url, {
        method: req.method,
        agent: this.agent,
        headers: { 'user-agent': this.options.userAgent, ...req.headers },
      });
      let endedBy: AiaasError | undefined;
      let responded = false;
      let settled = false;
      const end = (err: AiaasError) => {
        endedBy ??= err;
        request.destroy(endedBy);
      };
      const timer =
        req.deadline === Infinity
          ? undefined
          : setTimeout(
              () => end(new AiaasError('DEADLINE_EXCEEDED', `${what}: deadline exceeded`)),
              Math.max(0, req.deadline - Date.now()),
            );
      const onAbort = () => end(cancelled(req.signal!));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      if (req.idleMs !== undefined) {
        request.setTimeout(req.idleMs, () =>
          end(new AiaasError('DEADLINE_EXCEEDED', `${what}: no data moved for ${req.idleMs! / 1000} s`)),
        );
      }
      const dispose = () => {
        if (timer !== undefined) clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      request.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        dispose();
        reject(endedBy ?? socketError(err, what, this.origin));
      });
      request.on('response', (response) => {
        responded = true;
        if (settled) return;
        settled = true;
        resolve({ response, request, ended: () => endedBy, dispose });
      });
      const write = req.write ?? (async (r: ClientRequest) => void r.end());
      // A write failing after the gateway answered (it refused the body early) is not the error to report.
      write(request, () => responded || endedBy !== undefined || request.destroyed).catch((err: unknown) => {
        if (responded) return;
        end(
          isAiaasError(err)
            ? err
            : new AiaasError(
                'INVALID_ARGUMENT',
                `${what}: reading the request body failed: ${(err as Error).message}`,
                undefined,
                { cause: err },
              ),
        );
      });
    });
  }
}

/** Reads the whole response body as UTF-8, failing with the deadline/abort error when one ended the exchange. */
async function readText(exchange: Exchange): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of exchange.response as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (err) {
    throw exchange.ended() ?? socketError(err as NodeJS.ErrnoException, 'reading the answer', '');
  }
  const ended = exchange.ended();
  if (ended !== undefined) throw ended;
  return Buffer.concat(chunks).toString('utf8');
}

/** A socket-level failure as UNAVAILABLE (retryable), marked when nothing was sent. */
function socketError(err: NodeJS.ErrnoException, what: string, origin: string): AiaasError {
  if (isAiaasError(err)) return err;
  const code = err.code ?? '';
  const error = new AiaasError(
    'UNAVAILABLE',
    `${what}: cannot reach the gateway${origin === '' ? '' : ` at ${origin}`} (${code || err.message})`,
    undefined,
    { cause: err },
  );
  if (NOT_SENT_CODES.has(code)) NOT_SENT.add(error);
  return error;
}
