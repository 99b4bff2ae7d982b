import { AiaasError } from './errors';
import type { RestTransport } from './rest-transport';
import { sleep } from './retry';
import type {
  CallOptions,
  CreateDeploymentRequest,
  Deployment,
  DeploymentPage,
  DeploymentSpec,
  ListDeploymentsOptions,
  WaitReadyOptions,
} from './types';

const enc = encodeURIComponent;

/** Deployments (desired state: model + alias or version, replicas, batching, device): `/v1/deployments`. */
export class DeploymentsClient {
  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly rest: RestTransport) {}

  create(deployment: CreateDeploymentRequest, options?: CallOptions): Promise<Deployment> {
    return this.rest.json({ method: 'POST', path: '/v1/deployments', body: deployment, options });
  }

  list(options: ListDeploymentsOptions = {}): Promise<DeploymentPage> {
    const { page_size, page_token, model, ...call } = options;
    return this.rest.json({
      method: 'GET',
      path: '/v1/deployments',
      query: { page_size, page_token, model },
      options: call,
    });
  }

  get(name: string, options?: CallOptions): Promise<Deployment> {
    return this.rest.json({ method: 'GET', path: `/v1/deployments/${enc(name)}`, options });
  }

  /** Changes the fields given. */
  update(name: string, changes: DeploymentSpec, options?: CallOptions): Promise<Deployment> {
    return this.rest.json({ method: 'PATCH', path: `/v1/deployments/${enc(name)}`, body: changes, options });
  }

  /** Deletes the deployment; its replicas are unloaded. */
  async remove(name: string, options?: CallOptions): Promise<void> {
    await this.rest.json({ method: 'DELETE', path: `/v1/deployments/${enc(name)}`, options });
  }

  /**
   * Polls until `minReady` replicas (default: all) are READY on the deployment's target version.
   * Fails with FAILED_PRECONDITION when a replica FAILED, DEADLINE_EXCEEDED after `deadlineMs`
   * (default 120 s).
   */
  async waitReady(name: string, options: WaitReadyOptions = {}): Promise<Deployment> {
    const deadline = Date.now() + (options.deadlineMs ?? 120_000);
    for (;;) {
      const deployment = await this.get(name, options.signal === undefined ? {} : { signal: options.signal });
      const target = deployment.target_version;
      const ready = deployment.replica_status.filter(
        (r) => r.state === 'READY' && (target === 0 || r.version === target),
      );
      const wanted = options.minReady ?? Math.max(1, deployment.replicas);
      if (ready.length >= wanted) return deployment;
      const failed = deployment.replica_status.find((r) => r.state === 'FAILED');
      if (failed !== undefined) {
        throw new AiaasError(
          'FAILED_PRECONDITION',
          `deployment "${name}": replica on ${failed.node_id || 'a node'} failed: ${failed.reason || 'no reason given'}`,
        );
      }
      if (Date.now() >= deadline) {
        const states = deployment.replica_status.map((r) => `${r.state}${r.reason ? ` (${r.reason})` : ''}`).join(', ');
        throw new AiaasError(
          'DEADLINE_EXCEEDED',
          `deployment "${name}": ${ready.length} of ${wanted} replicas ready before the deadline; replicas: ${states || 'none'}`,
        );
      }
      await sleep(options.pollMs ?? 250, options.signal);
    }
  }
}
