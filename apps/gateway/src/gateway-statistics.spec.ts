import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { NotFoundError, createLogger, fromServiceError } from '@aiaas/common';
import type { ModelStatistics__Output, ModelStatisticsResponse__Output } from '@aiaas/proto';
import type { Principal } from './auth/scopes';
import { Gateway, sumStatistics } from './gateway';
import { RouteTable } from './route-table';
import type { ResolvedRoute } from './route-table';

/** ModelStatistics at the gateway: the sum over replicas, failures left out, none answering → UNAVAILABLE. */
describe('Gateway.modelStatistics', () => {
  const principal: Principal = { tenant: 'acme', principalId: 'key-1', scopes: ['infer'], kind: 'api-key' };
  const route: ResolvedRoute = {
    tenant: 'acme',
    model: 'mlp',
    servedName: 'acme.mlp',
    version: 3,
    aliases: ['production'],
    endpoints: [
      { nodeId: 'a', address: '10.0.0.1:8001', weight: 1 },
      { nodeId: 'b', address: '10.0.0.2:8001', weight: 1 },
    ],
  };

  const duration = (count: number | string, ns: number | string) => ({ count: String(count), ns: String(ns) });
  const replicaStats = (scale: number, batchSize: string): ModelStatistics__Output => ({
    name: 'acme.mlp',
    version: '3',
    last_inference: String(1_000 * scale),
    inference_count: String(10 * scale),
    execution_count: String(5 * scale),
    inference_stats: {
      success: duration(10 * scale, 900 * scale),
      fail: duration(scale, 7),
      queue: duration(10 * scale, 300 * scale),
      compute_input: duration(10 * scale, 10 * scale),
      compute_infer: duration(10 * scale, 500 * scale),
      compute_output: duration(10 * scale, 20 * scale),
      cache_hit: duration(0, 0),
      cache_miss: duration(0, 0),
    },
    batch_stats: [
      {
        batch_size: batchSize,
        compute_input: duration(scale, 1),
        compute_infer: duration(scale, 2),
        compute_output: duration(scale, 3),
      },
    ],
    memory_usage: [],
    response_stats: {},
  });

  /** A gateway whose replicas answer `answers[address]` (a ServiceError code fails the call). */
  function gatewayWith(answers: Record<string, ModelStatistics__Output | GrpcStatus>) {
    const asked: { address: string; name: string; version: string }[] = [];
    const resolveOptions: unknown[] = [];
    const gateway = new Gateway({
      authenticator: { authenticate: async () => principal },
      routes: {
        resolve: (_tenant, model, _selector, options) => {
          resolveOptions.push(options);
          if (model !== 'mlp') throw new NotFoundError(`model "${model}" not found`);
          return route;
        },
        versions: () => [3],
        synced: true,
      },
      pool: {
        invoke: async (resolve, call) => {
          const chosen = resolve();
          const address = chosen.endpoints[0]!.address;
          const client = {
            ModelStatistics: (
              request: { name: string; version: string },
              _metadata: unknown,
              _options: unknown,
              cb: (err: ServiceError | null, res?: ModelStatisticsResponse__Output) => void,
            ) => {
              asked.push({ address, ...request });
              const answer = answers[address]!;
              if (typeof answer === 'number') {
                cb(Object.assign(new Error('replica failed'), { code: answer, details: 'replica failed' }) as never);
              } else cb(null, { model_stats: [answer] });
            },
          };
          try {
            return await call(client as never, chosen, {}, address);
          } catch (err) {
            throw fromServiceError(err as ServiceError);
          }
        },
      },
    });
    return { gateway, asked, resolveOptions };
  }

  it('asks every replica for the served name and version and sums the answers under the caller’s name', async () => {
    const { gateway, asked, resolveOptions } = gatewayWith({
      '10.0.0.1:8001': replicaStats(1, '1'),
      '10.0.0.2:8001': replicaStats(2, '4'),
    });
    const response = await gateway.modelStatistics(principal, 'mlp@production', '');
    expect(asked.map((a) => a.address).sort()).toEqual(['10.0.0.1:8001', '10.0.0.2:8001']);
    expect(asked.every((a) => a.name === 'acme.mlp' && a.version === '3')).toBe(true);
    // An alias reads its own version: the canary is never drawn.
    expect(resolveOptions).toEqual([{ canary: false }]);
    expect(response.model_stats).toHaveLength(1);
    expect(response.model_stats![0]).toMatchObject({
      name: 'mlp',
      version: '3',
      last_inference: '2000',
      inference_count: '30',
      execution_count: '15',
      inference_stats: {
        success: { count: '30', ns: '2700' },
        fail: { count: '3', ns: '14' },
        queue: { count: '30', ns: '900' },
        compute_infer: { count: '30', ns: '1500' },
      },
    });
    expect(response.model_stats![0]!.batch_stats!.map((b) => b.batch_size)).toEqual(['1', '4']);
  });

  it('leaves a failing replica out, and is UNAVAILABLE when none answers', async () => {
    const half = gatewayWith({ '10.0.0.1:8001': GrpcStatus.UNAVAILABLE, '10.0.0.2:8001': replicaStats(2, '1') });
    const one = await half.gateway.modelStatistics(principal, 'mlp', '');
    expect(one.model_stats![0]).toMatchObject({ name: 'mlp', inference_count: '20' });

    const none = gatewayWith({ '10.0.0.1:8001': GrpcStatus.UNAVAILABLE, '10.0.0.2:8001': GrpcStatus.NOT_FOUND });
    await expect(none.gateway.modelStatistics(principal, 'mlp', '')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/no replica answered \(2 of 2 failed: UNAVAILABLE, NOT_FOUND\)/),
    });
    await expect(none.gateway.modelStatistics(principal, 'other', '')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(none.gateway.modelStatistics(principal, 'mlp@a', '3')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('resolves an alias to its own version with { canary: false }, even at a 100% canary', () => {
    // A client that is never connected: update() is driven by hand.
    const table = new RouteTable({
      registryAddress: '127.0.0.1:1',
      logger: createLogger({ service: 't', level: 'silent' }),
      random: () => 0,
    });
    try {
      const wire = (version: number, aliases: string[]) => ({
        tenant: 'acme',
        model: 'mlp',
        version: String(version),
        aliases,
        served_name: 'acme.mlp',
        endpoints: [{ node_id: 'n', address: `127.0.0.1:${9000 + version}`, weight: 0 }],
        canaries: version === 1 ? [{ alias: 'production', version: '2', percent: 100 }] : [],
      });
      table.update([wire(1, ['production']), wire(2, [])]);
      expect(table.resolve('acme', 'mlp', 'production').version).toBe(2);
      for (let i = 0; i < 5; i++) expect(table.resolve('acme', 'mlp', 'production', { canary: false }).version).toBe(1);
    } finally {
      table.close();
    }
  });

  it('sums uint64 counters exactly above 2^53 and merges batch sizes', () => {
    const big = replicaStats(1, '8');
    big.inference_count = '9007199254740993';
    big.inference_stats!.queue = duration('18446744073709551000', '18446744073709551000');
    const sum = sumStatistics('mlp', '3', [big, replicaStats(1, '8'), replicaStats(1, '2')]);
    expect(sum.inference_count).toBe('9007199254741013');
    expect(sum.inference_stats!.queue).toEqual({ count: '18446744073709551020', ns: '18446744073709551600' });
    expect(sum.batch_stats).toEqual([
      {
        batch_size: '2',
        compute_input: { count: '1', ns: '1' },
        compute_infer: { count: '1', ns: '2' },
        compute_output: { count: '1', ns: '3' },
      },
      {
        batch_size: '8',
        compute_input: { count: '2', ns: '2' },
        compute_infer: { count: '2', ns: '4' },
        compute_output: { count: '2', ns: '6' },
      },
    ]);
  });
});
