import {
  DEFAULTS,
  hasDynamicBatchDimension,
  parseTritonConfig,
  resolveModelConfig,
  selectVersions,
  warmupBatchSizes,
} from './model-config';
import type { ModelSignature } from './model-config';

const batchable: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: ['batch', 64] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: ['batch', 10] }],
};
const fixed: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 64] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 10] }],
};

describe('model configuration', () => {
  it('turns dynamic batching on by default for a model with a dynamic first dimension', () => {
    const config = resolveModelConfig('m', {}, batchable, 2);
    expect(config.maxBatchSize).toBe(DEFAULTS.maxBatchSize);
    expect(config.dynamicBatching).toEqual({ maxQueueDelayUs: 0, preferredBatchSizes: [] });
    expect(config.maxQueueSize).toBe(DEFAULTS.maxQueueSize);
    expect(config.versionPolicy).toEqual({ kind: 'latest', numVersions: 1 });
    // One of the two cores is left to the event loop.
    expect(config.intraOpThreads).toBe(1);
    expect(config.allowSpinning).toBe(false);
  });

  it('never batches a model whose first dimension is fixed', () => {
    expect(hasDynamicBatchDimension(fixed)).toBe(false);
    const config = resolveModelConfig('m', {}, fixed, 2);
    expect(config.maxBatchSize).toBe(0);
    expect(config.dynamicBatching).toBeUndefined();
  });

  it('reads Triton field names, including 64-bit integers written as strings', () => {
    const triton = parseTritonConfig(
      JSON.stringify({
        max_batch_size: 8,
        dynamic_batching: {
          max_queue_delay_microseconds: '500',
          preferred_batch_size: [4, 2],
          default_queue_policy: { max_queue_size: 16 },
        },
        instance_group: [{ count: 2, kind: 'KIND_CPU' }],
        version_policy: { specific: { versions: [3, 1] } },
        parameters: { intra_op_thread_count: { string_value: '3' }, allow_spinning: { string_value: '1' } },
      }),
      'config.json',
    );
    const config = resolveModelConfig('m', triton, batchable, 2);
    expect(config.maxBatchSize).toBe(8);
    expect(config.dynamicBatching).toEqual({ maxQueueDelayUs: 500, preferredBatchSizes: [2, 4] });
    expect(config.maxQueueSize).toBe(16);
    expect(config.instanceCount).toBe(2);
    expect(config.intraOpThreads).toBe(3);
    expect(config.allowSpinning).toBe(true);
    expect(config.versionPolicy).toEqual({ kind: 'specific', versions: [1, 3] });
    expect(warmupBatchSizes(config)).toEqual([1, 2, 4, 8]);
  });

  it('keeps batching off when a config sets max_batch_size without dynamic_batching', () => {
    const config = resolveModelConfig('m', parseTritonConfig('{"max_batch_size": 8}', 'c'), batchable, 2);
    expect(config.maxBatchSize).toBe(8);
    expect(config.dynamicBatching).toBeUndefined();
    expect(warmupBatchSizes(config)).toEqual([1]);
  });

  it('splits the cores but one between instances', () => {
    const config = resolveModelConfig('m', parseTritonConfig('{"instance_group":[{"count":2}]}', 'c'), batchable, 9);
    expect(config.intraOpThreads).toBe(4);
    expect(resolveModelConfig('m', parseTritonConfig('{"instance_group":[{"count":4}]}', 'c'), batchable, 2).intraOpThreads).toBe(1);
  });

  it('rejects unknown keys, bad JSON and settings that cannot work, naming them', () => {
    expect(() => parseTritonConfig('{"max_batchsize": 8}', 'm/config.json')).toThrow(/m\/config.json.*max_batchsize/);
    expect(() => parseTritonConfig('{not json', 'm/config.json')).toThrow(/not valid JSON/);
    expect(() => parseTritonConfig('{"max_batch_size": -1}', 'c')).toThrow(/max_batch_size/);
    expect(() => resolveModelConfig('m', { max_batch_size: 4 }, fixed, 2)).toThrow(/dynamic first dimension/);
    expect(() =>
      resolveModelConfig('m', { max_batch_size: 4, dynamic_batching: { preferred_batch_size: [8] } }, batchable, 2),
    ).toThrow(/preferred_batch_size 8 is larger than max_batch_size 4/);
    expect(() => resolveModelConfig('m', { parameters: { intra_op_thread_count: 'lots' } }, batchable, 2)).toThrow(
      /intra_op_thread_count/,
    );
  });

  it('selects versions by policy', () => {
    expect(selectVersions({ kind: 'latest', numVersions: 1 }, [1, 3, 2])).toEqual([3]);
    expect(selectVersions({ kind: 'latest', numVersions: 2 }, [1, 3, 2])).toEqual([2, 3]);
    expect(selectVersions({ kind: 'all' }, [2, 1])).toEqual([1, 2]);
    expect(selectVersions({ kind: 'specific', versions: [1, 5] }, [1, 2, 3])).toEqual([1]);
  });
});
