import { buildFixedBatchModel, buildMlp, MLP_SMALL } from '../models/mlp';
import { buildMultiIoModel } from '../models/multi-io-model';
import { benchmarkModel } from './benchmark';
import { PassSettingsError } from './pass';

describe('benchmarkModel', () => {
  it('returns a row of positive figures for each batch size', async () => {
    const rows = await benchmarkModel(buildMlp(MLP_SMALL).bytes, { iterations: 10, warmup: 2, intraOpThreads: 1 });
    expect(rows.map((row) => row.batchSize)).toEqual([1, 8, 32]);
    for (const row of rows) {
      expect(row.p50Ms).toBeGreaterThan(0);
      expect(row.p90Ms).toBeGreaterThanOrEqual(row.p50Ms);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p90Ms);
      expect(row.rowsPerSecond).toBeGreaterThan(0);
    }
  });

  it('feeds models with several input types', async () => {
    const rows = await benchmarkModel(buildMultiIoModel().bytes, { batchSizes: [4], iterations: 3, warmup: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.batchSize).toBe(4);
  });

  it('times only the fixed batch size of a fixed-batch model', async () => {
    const rows = await benchmarkModel(buildFixedBatchModel().bytes, { batchSizes: [1, 8], iterations: 3 });
    expect(rows.map((row) => row.batchSize)).toEqual([1]);
  });

  it('rejects bad options with PassSettingsError', async () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    await expect(benchmarkModel(bytes, { batchSizes: [] })).rejects.toThrow(PassSettingsError);
    await expect(benchmarkModel(bytes, { batchSizes: [0] })).rejects.toThrow(PassSettingsError);
    await expect(benchmarkModel(bytes, { iterations: 1.5 })).rejects.toThrow(PassSettingsError);
  });
});
