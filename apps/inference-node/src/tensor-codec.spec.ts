import { decodeBytesElements, decodeInputs, encodeBytesElements } from './tensor-codec';
import type { TensorSpec } from './model-config';

const x: TensorSpec = { name: 'x', datatype: 'FP32', shape: ['batch', 4] };
const fp32 = (values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);

describe('decodeInputs', () => {
  it('takes raw little-endian bytes as they are', () => {
    const raw = fp32([1, 2, 3, 4, 5, 6, 7, 8]);
    const [decoded] = decodeInputs([{ name: 'x', datatype: 'FP32', shape: ['2', '4'] }], [raw], [x], 8);
    expect(decoded!.shape).toEqual([2, 4]);
    expect(decoded!.bytes).toBe(raw);
  });

  it('converts typed contents of every numeric field to raw bytes', () => {
    const cases: [TensorSpec['datatype'], object, ArrayLike<number | bigint>][] = [
      ['BOOL', { bool_contents: [true, false] }, [1, 0]],
      ['UINT8', { uint_contents: [1, 255] }, [1, 255]],
      ['INT16', { int_contents: [-2, 3] }, [-2, 3]],
      ['INT64', { int64_contents: ['-9007199254740993', '5'] }, [-9007199254740993n, 5n]],
      ['UINT64', { uint64_contents: ['18446744073709551615', '0'] }, [18446744073709551615n, 0n]],
      ['FP64', { fp64_contents: [0.1, -2] }, [0.1, -2]],
    ];
    for (const [datatype, contents, expected] of cases) {
      const spec: TensorSpec = { name: 't', datatype, shape: [2] };
      const [decoded] = decodeInputs([{ name: 't', datatype, shape: [2], contents }], [], [spec], 0);
      const view =
        datatype === 'INT64'
          ? new BigInt64Array(decoded!.bytes!.buffer, decoded!.bytes!.byteOffset, 2)
          : datatype === 'UINT64'
            ? new BigUint64Array(decoded!.bytes!.buffer, decoded!.bytes!.byteOffset, 2)
            : datatype === 'FP64'
              ? new Float64Array(decoded!.bytes!.buffer, decoded!.bytes!.byteOffset, 2)
              : datatype === 'INT16'
                ? new Int16Array(decoded!.bytes!.buffer, decoded!.bytes!.byteOffset, 2)
                : new Uint8Array(decoded!.bytes!.buffer, decoded!.bytes!.byteOffset, 2);
      expect(Array.from(view as ArrayLike<number | bigint>)).toEqual(Array.from(expected));
    }
  });

  it('names the tensor, what was expected and what came', () => {
    const decode = (inputs: Parameters<typeof decodeInputs>[0], raw: Buffer[] = [], max = 8) =>
      () => decodeInputs(inputs, raw, [x], max);
    expect(decode([{ name: 'x', datatype: 'FP32', shape: [2, 4] }], [Buffer.alloc(20)])).toThrow(
      'input "x": expected FP32 [2,4] = 32 bytes (16 bytes per item), got 20 bytes',
    );
    expect(decode([{ name: 'x', datatype: 'INT32', shape: [1, 4] }], [Buffer.alloc(16)])).toThrow(
      'input "x": expected datatype FP32, got "INT32"',
    );
    expect(decode([{ name: 'x', datatype: 'FP32', shape: [1, 5] }], [Buffer.alloc(20)])).toThrow(
      'input "x": expected shape [batch,4], got [1,5]',
    );
    expect(decode([{ name: 'y', datatype: 'FP32', shape: [1, 4] }], [Buffer.alloc(16)])).toThrow(
      'unexpected input "y": the model\'s inputs are "x"',
    );
    expect(decode([])).toThrow('missing input "x": expected FP32 [batch,4]');
    expect(decode([{ name: 'x', datatype: 'FP32', shape: [9, 4] }], [Buffer.alloc(144)])).toThrow(
      /batch size 9 is outside 1..8/,
    );
    expect(
      decode([{ name: 'x', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [1, 2, 3, 4] } }], [fp32([1, 2, 3, 4])]),
    ).toThrow('input "x": has both raw_input_contents and typed contents; send one');
    expect(decode([{ name: 'x', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [1, 2] } }])).toThrow(
      'input "x": shape needs 4 elements, contents.fp32_contents has 2',
    );
    expect(decode([{ name: 'x', datatype: 'FP32', shape: [1, 4] }], [Buffer.alloc(16), Buffer.alloc(16)])).toThrow(
      /raw_input_contents has 2 entries but the request has 1 inputs/,
    );
  });

  it('refuses typed FP16, which the protocol carries only as raw bytes', () => {
    const spec: TensorSpec = { name: 'h', datatype: 'FP16', shape: [2] };
    expect(() => decodeInputs([{ name: 'h', datatype: 'FP16', shape: [2], contents: { fp32_contents: [1, 2] } }], [], [spec], 0)).toThrow(
      /FP16 has no typed contents field/,
    );
  });

  it('requires every input to share the batch dimension', () => {
    const specs: TensorSpec[] = [x, { name: 'z', datatype: 'FP32', shape: ['batch', 1] }];
    expect(() =>
      decodeInputs(
        [
          { name: 'x', datatype: 'FP32', shape: [2, 4] },
          { name: 'z', datatype: 'FP32', shape: [3, 1] },
        ],
        [Buffer.alloc(32), Buffer.alloc(12)],
        specs,
        8,
      ),
    ).toThrow(/batch dimension is 3 but another input has 2/);
  });
});

describe('BYTES elements', () => {
  it('round-trips length-prefixed strings', () => {
    const raw = encodeBytesElements(['héllo', '', 'x']);
    expect(raw.readUInt32LE(0)).toBe(6);
    expect(decodeBytesElements('s', raw, 3)).toEqual(['héllo', '', 'x']);
  });

  it('rejects a bad length prefix, a wrong count and non-UTF-8 bytes', () => {
    const truncated = Buffer.from([10, 0, 0, 0, 65]);
    expect(() => decodeBytesElements('s', truncated, 1)).toThrow('input "s": BYTES element 0 declares 10 bytes but only 1 remain');
    expect(() => decodeBytesElements('s', Buffer.from([1, 0]), 1)).toThrow(/truncated 4-byte length prefix/);
    expect(() => decodeBytesElements('s', encodeBytesElements(['a']), 2)).toThrow('input "s": shape needs 2 BYTES elements, got 1');
    expect(() => decodeBytesElements('s', Buffer.from([1, 0, 0, 0, 0xff]), 1)).toThrow(/not valid UTF-8/);
  });
});
