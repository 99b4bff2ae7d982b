import { loadOptimizerConfig } from './config';

describe('loadOptimizerConfig', () => {
  const registry = '127.0.0.1:50051';

  it('defaults the job timeout to 1800 s and the metrics port to 9102', () => {
    expect(loadOptimizerConfig({ registry })).toMatchObject({ jobTimeoutSeconds: 1800, metricsPort: 9102 });
  });

  it('reads AIAAS_JOB_TIMEOUT_SECONDS and AIAAS_OPTIMIZER_METRICS_PORT; flags win over them', () => {
    const env = { AIAAS_JOB_TIMEOUT_SECONDS: '60', AIAAS_OPTIMIZER_METRICS_PORT: '9200' };
    expect(loadOptimizerConfig({ registry }, env)).toMatchObject({ jobTimeoutSeconds: 60, metricsPort: 9200 });
    expect(loadOptimizerConfig({ registry, metricsPort: '0' }, env)).toMatchObject({ metricsPort: 0 });
  });

  it.each(['0', '86401', '1.5', 'soon'])('refuses a job timeout of %s (expected 1..86400)', (value) => {
    expect(() => loadOptimizerConfig({ registry }, { AIAAS_JOB_TIMEOUT_SECONDS: value })).toThrow(/jobTimeoutSeconds/);
  });

  it('refuses a metrics port outside 0..65535', () => {
    expect(() => loadOptimizerConfig({ registry, metricsPort: '70000' })).toThrow(/metricsPort/);
  });
});
