import type { RestTransport } from './rest-transport';
import type { CallOptions, InferenceNode } from './types';

/** Inference nodes, their memory and replicas (admin scope): `/v1/nodes`. */
export class NodesClient {
  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly rest: RestTransport) {}

  async list(options?: CallOptions): Promise<InferenceNode[]> {
    const answer = await this.rest.json<{ nodes: InferenceNode[] }>({ method: 'GET', path: '/v1/nodes', options });
    return answer.nodes;
  }
}
