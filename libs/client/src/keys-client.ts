import type { RestTransport } from './rest-transport';
import type {
  ApiKey,
  CallOptions,
  CreatedApiKey,
  CreatedOAuthClient,
  CreateKeyRequest,
  CreateOAuthClientRequest,
  OAuthClient,
} from './types';

const enc = encodeURIComponent;

/** API keys and OAuth2 clients (admin scope): `/v1/keys`, `/v1/clients`. Secrets appear once, in the creation answer. */
export class KeysClient {
  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly rest: RestTransport) {}

  create(request: CreateKeyRequest, options?: CallOptions): Promise<CreatedApiKey> {
    return this.rest.json({ method: 'POST', path: '/v1/keys', body: request, options });
  }

  /** Keys of `tenant`, or of every tenant. */
  async list(options: CallOptions & { tenant?: string } = {}): Promise<ApiKey[]> {
    const { tenant, ...call } = options;
    const answer = await this.rest.json<{ keys: ApiKey[] }>({
      method: 'GET',
      path: '/v1/keys',
      query: { tenant },
      options: call,
    });
    return answer.keys;
  }

  /** Revokes the key; calls with it fail with UNAUTHENTICATED from now on. */
  revoke(id: string, options?: CallOptions): Promise<ApiKey> {
    return this.rest.json({ method: 'DELETE', path: `/v1/keys/${enc(id)}`, options });
  }

  /** Creates an OAuth2 client (client credentials grant). */
  createClient(request: CreateOAuthClientRequest, options?: CallOptions): Promise<CreatedOAuthClient> {
    return this.rest.json({ method: 'POST', path: '/v1/clients', body: request, options });
  }

  async listClients(options?: CallOptions): Promise<OAuthClient[]> {
    const answer = await this.rest.json<{ clients: OAuthClient[] }>({ method: 'GET', path: '/v1/clients', options });
    return answer.clients;
  }

  revokeClient(clientId: string, options?: CallOptions): Promise<OAuthClient> {
    return this.rest.json({ method: 'DELETE', path: `/v1/clients/${enc(clientId)}`, options });
  }
}
