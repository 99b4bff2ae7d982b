import { deflateRawSync } from 'node:zlib';
import { inspectModel } from '../inspect-model';
import { buildMlp, MLP_SMALL } from '../models/mlp';
import { buildMultiIoModel } from '../models/multi-io-model';
import { encodeNpz, parseValidationDataset, ValidationDatasetError } from './validation-dataset';

// Written by numpy 2.4 (`np.savez` / `np.savez_compressed(buf, a=a, b=b, flag=flag)`) for the
// multi-input model: a = arange(8, float32).reshape(2,4)/8 - 0.5, b = int64 [[1,2,3,4],[5,6,7,8]],
// flag = [[True],[False]]. numpy forces zip64 local headers (sizes 0xFFFFFFFF there).
const NUMPY_SAVEZ =
  'UEsDBC0AAAAAAAAAIQDUBe/T//////////8FABQAYS5ucHkBABAAoAAAAAAAAACgAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCA0KSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAvwAAwL4AAIC+AAAAvgAAAAAAAAA+AACAPgAAwD5QSwMELQAAAAAAAAAhAEckPtT//////////wUAFABiLm5weQEAEADAAAAAAAAAAMAAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAAAAAAIAAAAAAAAAAwAAAAAAAAAEAAAAAAAAAAUAAAAAAAAABgAAAAAAAAAHAAAAAAAAAAgAAAAAAAAAUEsDBC0AAAAAAAAAIQD0bH5n//////////8IABQAZmxhZy5ucHkBABAAggAAAAAAAACCAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3xiMScsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAxKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQBQSwECLQMtAAAAAAAAACEA1AXv06AAAACgAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECLQMtAAAAAAAAACEARyQ+1MAAAADAAAAABQAAAAAAAAAAAAAAgAHXAAAAYi5ucHlQSwECLQMtAAAAAAAAACEA9Gx+Z4IAAACCAAAACAAAAAAAAAAAAAAAgAHOAQAAZmxhZy5ucHlQSwUGAAAAAAMAAwCcAAAAigIAAAAA';
const NUMPY_SAVEZ_COMPRESSED =
  'UEsDBC0AAAAIAAAAIQDUBe/T//////////8FABQAYS5ucHkBABAAoAAAAAAAAABdAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CiaaOgq1CmQDLgYGhv0MDAf2MTA0ADEDCIOAHZAPxAfsAFBLAwQtAAAACAAAACEARyQ+1P//////////BQAUAGIubnB5AQAQAMAAAAAAAAAAXAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOgommjoKtQpkAy5GBghggtLMUJoFSrNCaTYozQ6lOaA0AFBLAwQtAAAACAAAACEA9Gx+Z///////////CAAUAGZsYWcubnB5AQAQAIIAAAAAAAAASAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBek2SorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOgqGmjoKtQpkAy5GBgBQSwECLQMtAAAACAAAACEA1AXv010AAACgAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECLQMtAAAACAAAACEARyQ+1FwAAADAAAAABQAAAAAAAAAAAAAAgAGUAAAAYi5ucHlQSwECLQMtAAAACAAAACEA9Gx+Z0gAAACCAAAACAAAAAAAAAAAAAAAgAEnAQAAZmxhZy5ucHlQSwUGAAAAAAMAAwCcAAAAqQEAAAAA';

const multi = inspectModel(buildMultiIoModel().bytes);
const mlp = inspectModel(buildMlp(MLP_SMALL).bytes);
const jsonl = (...lines: object[]): Buffer => Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
const row = (n: number, value = 0.5): number[] => Array.from({ length: n }, () => value);

describe('parseValidationDataset', () => {
  it.each([
    ['savez (stored)', NUMPY_SAVEZ],
    ['savez_compressed (deflated)', NUMPY_SAVEZ_COMPRESSED],
  ])('reads a real numpy %s file as one sample', (_, base64) => {
    const { samples, description } = parseValidationDataset('npz', Buffer.from(base64, 'base64'), multi);
    expect(samples).toHaveLength(1);
    const sample = samples[0]!;
    expect(sample['a']).toMatchObject({ datatype: 'FP32', shape: [2, 4] });
    expect(Array.from(sample['a']!.data)).toEqual([-0.5, -0.375, -0.25, -0.125, 0, 0.125, 0.25, 0.375]);
    expect(sample['b']).toMatchObject({ datatype: 'INT64', shape: [2, 4] });
    expect(Array.from(sample['b']!.data)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(Array.from(sample['flag']!.data)).toEqual([true, false]);
    expect(description).toBe('npz: 1 sample(s); a FP32 [2,4], b INT64 [2,4], flag BOOL [2,1]');
  });

  it('round-trips encodeNpz, stored and compressed', () => {
    const sample = {
      a: { datatype: 'FP32' as const, shape: [3, 4], data: Float32Array.from(row(12, 0.25)) },
      b: { datatype: 'INT64' as const, shape: [3, 4], data: row(12, 7).map(BigInt) },
      flag: { datatype: 'BOOL' as const, shape: [3, 1], data: [true, false, true] },
    };
    for (const compress of [false, true]) {
      const [parsed] = parseValidationDataset('npz', encodeNpz(sample, { compress }), multi).samples;
      expect(parsed!['a']!.shape).toEqual([3, 4]);
      expect(Array.from(parsed!['a']!.data)).toEqual(row(12, 0.25));
      expect(Array.from(parsed!['b']!.data)).toEqual(row(12, 7).map(BigInt));
      expect(Array.from(parsed!['flag']!.data)).toEqual([true, false, true]);
    }
  });

  it('reads jsonl lines as samples: nested arrays and {shape, data}', () => {
    const content = jsonl(
      { input: [row(64), row(64, -1)] },
      {},
      { input: { shape: [1, 64], data: row(64, 2) } },
    ).toString();
    // An empty object line is an error (input missing); blank lines are skipped.
    expect(() => parseValidationDataset('jsonl', Buffer.from(content), mlp)).toThrow(
      /line 2: input "input" is missing/,
    );
    const good = jsonl({ input: [row(64), row(64, -1)] }, { input: { shape: [1, 64], data: row(64, 2) } });
    const { samples } = parseValidationDataset('jsonl', Buffer.concat([good, Buffer.from('\n\n')]), mlp);
    expect(samples.map((s) => s['input']!.shape)).toEqual([
      [2, 64],
      [1, 64],
    ]);
    const ints = parseValidationDataset('jsonl', jsonl({ a: [row(4)], b: [[1, 2, 3, 4]], flag: [[true]] }), multi)
      .samples[0]!;
    expect(Array.from(ints['b']!.data)).toEqual([1n, 2n, 3n, 4n]);
  });

  it.each<[string, string, Buffer, 'mlp' | 'multi', RegExp]>([
    [
      'an unknown input name',
      'jsonl',
      jsonl({ input: [row(64)], extra: [1] }),
      'mlp',
      /line 1: unknown input "extra"; the model's inputs are "input"/,
    ],
    ['a missing input', 'jsonl', jsonl({ a: [row(4)], b: [[1, 2, 3, 4]] }), 'multi', /line 1: input "flag" is missing/],
    [
      'a wrong fixed dimension',
      'jsonl',
      jsonl({ input: [row(63)] }),
      'mlp',
      /input "input" has shape \[1,63\]; expected \[batch,64\]/,
    ],
    [
      'a wrong rank',
      'jsonl',
      jsonl({ input: row(64) }),
      'mlp',
      /input "input" has shape \[64\]; expected \[batch,64\]/,
    ],
    ['a ragged array', 'jsonl', jsonl({ input: [row(64), row(3)] }), 'mlp', /input "input": a ragged nested array/],
    [
      'strings for FP32',
      'jsonl',
      jsonl({ input: [row(64).map(String)] }),
      'mlp',
      /input "input" is FP32: expected numbers, got "0.5"/,
    ],
    [
      'a fraction for INT64',
      'jsonl',
      jsonl({ a: [row(4)], b: [[1, 2.5, 3, 4]], flag: [[true]] }),
      'multi',
      /input "b" is INT64: expected integers .*, got 2.5/,
    ],
    [
      'a number for BOOL',
      'jsonl',
      jsonl({ a: [row(4)], b: [[1, 2, 3, 4]], flag: [[7]] }),
      'multi',
      /input "flag" is BOOL: expected true\/false/,
    ],
    [
      'shape/data disagreeing',
      'jsonl',
      jsonl({ input: { shape: [2, 64], data: row(64) } }),
      'mlp',
      /shape \[2,64\] needs 128 elements, "data" has 64/,
    ],
    ['a line that is not JSON', 'jsonl', Buffer.from('{"input": [1,\n'), 'mlp', /line 1: not JSON/],
    ['no samples at all', 'jsonl', Buffer.from('\n\n'), 'mlp', /no samples/],
    ['an unknown format', 'csv', Buffer.from('1,2'), 'mlp', /format: expected one of jsonl, npz, got "csv"/],
  ])('refuses %s', (_, format, content, model, message) => {
    const signature = model === 'mlp' ? mlp : multi;
    expect(() => parseValidationDataset(format, content, signature)).toThrow(ValidationDatasetError);
    expect(() => parseValidationDataset(format, content, signature)).toThrow(message);
  });

  it('refuses npz files with a wrong dtype, shape or name, and corrupt zips', () => {
    const good = {
      a: { datatype: 'FP32' as const, shape: [2, 4], data: row(8) },
      b: { datatype: 'INT64' as const, shape: [2, 4], data: row(8, 1).map(BigInt) },
      flag: { datatype: 'BOOL' as const, shape: [2, 1], data: [true, false] },
    };
    const parse = (content: Buffer): unknown => parseValidationDataset('npz', content, multi);
    expect(() => parse(encodeNpz({ ...good, a: { ...good.a, datatype: 'FP64' } }))).toThrow(
      /"a.npy": dtype <f8 does not fit input "a" \(FP32\); expected <f4/,
    );
    expect(() => parse(encodeNpz({ ...good, b: { ...good.b, datatype: 'INT32', data: row(8, 1) } }))).toThrow(
      /dtype <i4 does not fit input "b" \(INT64\); expected <i8/,
    );
    expect(() => parse(encodeNpz({ ...good, a: { ...good.a, shape: [2, 2, 2] } }))).toThrow(
      /input "a" has shape \[2,2,2\]; expected \[batch,4\]/,
    );
    expect(() => parse(encodeNpz({ ...good, c: good.a }))).toThrow(/unknown input "c"/);
    expect(() => parse(Buffer.from('PK\x03\x04 definitely not a zip'))).toThrow(
      /not a valid zip file: no end-of-central-directory/,
    );
    // A flipped byte inside a stored entry: the CRC-32 catches it.
    const flipped = encodeNpz(good);
    flipped[170] = (flipped[170] ?? 0) ^ 0xff; // in a.npy's data
    expect(() => parse(flipped)).toThrow(/not a valid zip file: "a.npy" fails its CRC-32 check/);
    // Truncated: the directory points past the end.
    const whole = encodeNpz(good, { compress: true });
    expect(() => parse(whole.subarray(0, whole.length - 30))).toThrow(/not a valid zip file/);
    // Deflate garbage.
    const garbage = encodeNpz(good, { compress: true });
    const start = 30 + 'a.npy'.length;
    garbage.set(deflateRawSync(Buffer.alloc(4)).subarray(0, 2), start);
    garbage.fill(0xff, start + 2, start + 20);
    expect(() => parse(garbage)).toThrow(/not a valid zip file: "a.npy" (does not inflate|has|fails)/);
  });
});
