import { ConfigError } from '@aiaas/common';
import { loadNodeConfig, modelRepositoryOf } from './config';

describe('loadNodeConfig', () => {
  it('applies documented defaults', () => {
    expect(loadNodeConfig({ modelRepository: '/models' })).toMatchObject({
      modelRepository: '/models',
      dataDir: './.aiaas',
      devices: ['cpu'],
      host: '127.0.0.1',
      grpcPort: 8001,
      metricsPort: 9103,
      maxMessageBytes: 64 * 1024 * 1024,
      shutdownGraceMs: 10_000,
    });
  });

  it('reads AIAAS_NODE_* variables, with flags taking precedence', () => {
    const config = loadNodeConfig(
      { grpcPort: '9001' },
      { AIAAS_MODEL_REPOSITORY: '/env-models', AIAAS_NODE_GRPC_PORT: '7001', AIAAS_NODE_METRICS_PORT: '7002' },
    );
    expect(config).toMatchObject({ modelRepository: '/env-models', grpcPort: 9001, metricsPort: 7002 });
  });

  it('lists every invalid setting at once', () => {
    let error: unknown;
    try {
      loadNodeConfig({ grpcPort: 'abc', metricsPort: '70000', maxMessageBytes: '10' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const key of ['grpcPort', 'metricsPort', 'maxMessageBytes']) expect(text).toContain(key);
  });

  it('needs a model repository or a registry, and checks addresses', () => {
    expect(() => loadNodeConfig({})).toThrow(/a model repository folder is required .* or a registry/);
    const config = loadNodeConfig({ registry: 'localhost:50051', dataDir: '/data' });
    expect(modelRepositoryOf(config)).toBe('/data/node/models');
    expect(() => loadNodeConfig({ registry: 'localhost' })).toThrow(/registry: expected HOST:PORT/);
    expect(() => loadNodeConfig({ registry: 'h:1', devices: ['tpu'] })).toThrow(/expected "cpu" or "gpu:N"/);
  });
});
