import { ApiKeyCredentials, ClientCredentials } from './auth';
import type { Credentials, TokenResponse } from './auth';
import { invalidArgument } from './errors';
import { DeploymentsClient } from './deployments-client';
import { InferenceClient } from './inference-client';
import { JobsClient } from './jobs-client';
import { KeysClient } from './keys-client';
import { ModelsClient } from './models-client';
import { NodesClient } from './nodes-client';
import { RestTransport } from './rest-transport';
import type { AiaasClientOptions, RetryableCallOptions, ServerInfo } from './types';

/** The SDK's version, sent in `user-agent`. */
export const CLIENT_VERSION = '0.1.0';

const DEFAULTS = {
  deadlineMs: 30_000,
  retries: 6,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2_000,
  keepAliveMs: 30_000,
} as const;

/**
 * The aiaas platform from TypeScript: inference over gRPC (`client.inference`), and models,
 * deployments, jobs, keys and nodes over the REST API. One instance holds one gRPC channel and one
 * HTTP connection pool: create it once, share it, `close()` it at shutdown.
 *
 * ```ts
 * const client = new AiaasClient({ url: process.env.AIAAS_URL!, apiKey: process.env.AIAAS_API_KEY });
 * const { outputs } = await client.inference.infer('mlp@production', {
 *   input: { shape: [1, 64], data: new Float32Array(64) },
 * });
 * ```
 */
export class AiaasClient {
  readonly inference: InferenceClient;
  readonly models: ModelsClient;
  readonly deployments: DeploymentsClient;
  readonly jobs: JobsClient;
  readonly keys: KeysClient;
  readonly nodes: NodesClient;
  /** The gateway's REST base URL. */
  readonly url: URL;

  private readonly rest: RestTransport;
  private readonly anonymous: RestTransport;
  private readonly credentials: Credentials;
  private grpcAddress: Promise<string> | undefined;

  /** @throws {@link AiaasError} INVALID_ARGUMENT for a bad URL, missing or conflicting credentials, bad numbers. */
  constructor(options: AiaasClientOptions) {
    this.url = parseUrl(options.url);
    const settings = {
      deadlineMs: positive('deadlineMs', options.deadlineMs ?? DEFAULTS.deadlineMs),
      retries: nonNegative('retries', options.retries ?? DEFAULTS.retries),
      retryBaseDelayMs: positive('retryBaseDelayMs', options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs),
      retryMaxDelayMs: positive('retryMaxDelayMs', options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs),
    };
    const userAgent = options.userAgent ?? `aiaas-client/${CLIENT_VERSION} node/${process.versions.node}`;
    this.anonymous = new RestTransport({ baseUrl: this.url, userAgent, ...settings });
    this.credentials = credentialsOf(options, this.anonymous);
    this.rest = new RestTransport({ baseUrl: this.url, userAgent, credentials: this.credentials, ...settings });
    if (options.grpcAddress !== undefined) {
      if (!/^[^\s/]+:\d+$/.test(options.grpcAddress)) {
        throw invalidArgument(`grpcAddress: expected host:port, got "${options.grpcAddress}"`);
      }
      this.grpcAddress = Promise.resolve(options.grpcAddress);
    }
    this.inference = new InferenceClient({
      address: () => this.resolveGrpcAddress(),
      credentials: this.credentials,
      tls: options.grpcTls ?? this.url.protocol === 'https:',
      keepAliveMs: positive('keepAliveMs', options.keepAliveMs ?? DEFAULTS.keepAliveMs),
      ...settings,
    });
    this.models = new ModelsClient(this.rest);
    this.deployments = new DeploymentsClient(this.rest);
    this.jobs = new JobsClient(this.rest);
    this.keys = new KeysClient(this.rest);
    this.nodes = new NodesClient(this.rest);
  }

  /** `GET /v1/info`: the gateway's version and gRPC port (no credentials needed). */
  info(options?: RetryableCallOptions): Promise<ServerInfo> {
    return this.anonymous.json({ method: 'GET', path: '/v1/info', auth: false, options });
  }

  /** The `authorization` header value calls carry now (an API key, or a current OAuth2 token). */
  authorization(): Promise<string> {
    return this.credentials.authorization();
  }

  /** The gRPC front door's `host:port`: the one given, else the URL's host and `/v1/info`'s port. */
  resolveGrpcAddress(): Promise<string> {
    if (this.grpcAddress === undefined) {
      // No retries of its own: the inference call that needs it retries (with this discovery) already.
      const pending = this.info({ retries: 0 }).then((info) => {
        if (!Number.isInteger(info.grpc_port) || info.grpc_port <= 0) {
          throw invalidArgument(`GET /v1/info: expected a grpc_port, got ${JSON.stringify(info.grpc_port)}`);
        }
        return `${this.url.hostname.includes(':') ? `[${this.url.hostname}]` : this.url.hostname}:${info.grpc_port}`;
      });
      // Not cached when it failed: the gateway may be starting.
      pending.catch(() => {
        if (this.grpcAddress === pending) this.grpcAddress = undefined;
      });
      this.grpcAddress = pending;
    }
    return this.grpcAddress;
  }

  /** Closes the gRPC channel and pooled HTTP connections. */
  close(): void {
    this.inference.close();
    this.rest.close();
    this.anonymous.close();
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument(`url: expected the gateway's REST base URL like http://127.0.0.1:8080, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`url: expected http: or https:, got "${url.protocol}" in "${text}"`);
  }
  return url;
}

function credentialsOf(options: AiaasClientOptions, anonymous: RestTransport): Credentials {
  const { apiKey, clientId, clientSecret } = options;
  const hasClient = clientId !== undefined || clientSecret !== undefined;
  if (apiKey !== undefined && hasClient) {
    throw invalidArgument('credentials: give apiKey or clientId + clientSecret, not both');
  }
  if (apiKey !== undefined) return new ApiKeyCredentials(apiKey);
  if (hasClient) {
    if (!clientId || !clientSecret) throw invalidArgument('credentials: clientId and clientSecret go together');
    const fields: Record<string, string> = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    };
    if (options.scopes !== undefined && options.scopes.length > 0) fields['scope'] = options.scopes.join(' ');
    return new ClientCredentials(() => anonymous.form<TokenResponse>('/oauth/token', fields));
  }
  throw invalidArgument('credentials: expected apiKey, or clientId and clientSecret');
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw invalidArgument(`${name}: expected a positive number, got ${String(value)}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw invalidArgument(`${name}: expected a non-negative integer, got ${String(value)}`);
  return value;
}
