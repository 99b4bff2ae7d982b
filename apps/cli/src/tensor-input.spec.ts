import { float16BitsToFloat32 } from '@aiaas/onnx';
import { flattenNested, jsonElements, parseInputFlag, randomTensor, tensorFromJson } from './tensor-input';

const FP32_BATCH = { name: 'x', datatype: 'FP32', shape: [-1, 3] };

describe('tensor inputs', () => {
  it('splits --input NAME=FILE, refusing what is not', () => {
    expect(parseInputFlag('x=a=b.json')).toEqual({ name: 'x', file: 'a=b.json' });
    expect(() => parseInputFlag('x.json')).toThrow(/expected NAME=FILE\.json/);
    expect(() => parseInputFlag('x=')).toThrow(/expected NAME=FILE\.json/);
  });

  it('flattens nested arrays and rejects ragged ones', () => {
    expect(
      flattenNested(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        'x',
      ),
    ).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(flattenNested(7, 'x')).toEqual({ shape: [], data: [7] });
    expect(() => flattenNested([[1, 2], [3]], 'input "x"')).toThrow(/ragged array at data\[1\]: expected 2 elements/);
    expect(() => flattenNested([[1, {}]], 'input "x"')).toThrow(
      /expected a number, boolean or string at data\[0\]\[1\]/,
    );
  });

  it('reads a nested array typed after the model', () => {
    const t = tensorFromJson('x', '[[1, 2, 3], [4, 5, 6.5]]', FP32_BATCH);
    expect(t).toEqual({ name: 'x', datatype: 'FP32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) });
    const ints = tensorFromJson('i', '[1, 2]', { name: 'i', datatype: 'INT64', shape: [2] });
    expect(ints.data).toEqual(BigInt64Array.from([1n, 2n]));
  });

  it('reads {shape, data, datatype}, flat or nested', () => {
    const t = tensorFromJson('x', '{"shape": [1, 3], "data": [1, 2, 3]}', FP32_BATCH);
    expect(t.shape).toEqual([1, 3]);
    const nested = tensorFromJson('x', '{"data": [[1, 2, 3]]}', FP32_BATCH);
    expect(nested.shape).toEqual([1, 3]);
    const half = tensorFromJson('h', '{"shape": [2], "data": [1.5, -2], "datatype": "FP16"}');
    expect(half.datatype).toBe('FP16');
    expect(Array.from(half.data as Uint16Array, float16BitsToFloat32)).toEqual([1.5, -2]);
    expect(tensorFromJson('b', '[true, false]').datatype).toBe('BOOL');
    expect(tensorFromJson('s', '["a", "b"]').data).toEqual(['a', 'b']);
  });

  it('says what is wrong with a file', () => {
    expect(() => tensorFromJson('x', '{', FP32_BATCH)).toThrow(/input "x": not JSON/);
    expect(() => tensorFromJson('x', '{"a": 1}', FP32_BATCH)).toThrow(/expected a nested array or \{"shape"/);
    expect(() => tensorFromJson('x', '{"shape": [2, 2], "data": [1, 2, 3]}', FP32_BATCH)).toThrow(
      /shape \[2,2\] holds 4 elements, got 3/,
    );
    expect(() => tensorFromJson('x', '[[1, 2]]', FP32_BATCH)).toThrow(
      /the model expects FP32 \[-1,3\], got shape \[1,2\]/,
    );
    expect(() => tensorFromJson('x', '[1.5]', { name: 'x', datatype: 'INT32', shape: [1] })).toThrow(
      /INT32 element 0 must be an integer in \[-2147483648, 2147483647\], got 1.5/,
    );
    expect(() => tensorFromJson('x', '[300]', { name: 'x', datatype: 'UINT8', shape: [1] })).toThrow(/in \[0, 255\]/);
    expect(() => tensorFromJson('x', '["a"]', FP32_BATCH.shape && { ...FP32_BATCH, shape: [1] })).toThrow(
      /FP32 element 0 must be a number, got "a"/,
    );
    expect(() => tensorFromJson('x', '{"data": [1], "datatype": "FP8"}')).toThrow(/unknown datatype "FP8"/);
  });

  it('generates seeded random inputs from metadata, the batch in the first variable dimension', () => {
    const a = randomTensor({ name: 'x', datatype: 'FP32', shape: [-1, 4] }, { seed: 7, batch: 3 });
    const b = randomTensor({ name: 'x', datatype: 'FP32', shape: [-1, 4] }, { seed: 7, batch: 3 });
    const c = randomTensor({ name: 'x', datatype: 'FP32', shape: [-1, 4] }, { seed: 8, batch: 3 });
    expect(a.shape).toEqual([3, 4]);
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
    expect(Array.from(a.data as Float32Array).every((v) => v >= -1 && v < 1)).toBe(true);
    expect(randomTensor({ name: 'i', datatype: 'INT64', shape: [2, -1] }).shape).toEqual([2, 1]);
    expect(randomTensor({ name: 'i', datatype: 'INT64', shape: [2] }).data).toBeInstanceOf(BigInt64Array);
    expect(() => randomTensor({ name: 'f', datatype: 'FP32', shape: [2, 3] }, { batch: 4 })).toThrow(
      /batch dimension is fixed at 2, cannot send a batch of 4/,
    );
  });

  it('turns output elements into JSON values', () => {
    expect(jsonElements(BigInt64Array.from([1n, -2n]))).toEqual([1, -2]);
    expect(jsonElements([Buffer.from('hé')])).toEqual(['hé']);
    expect(jsonElements(Float32Array.from([0.5]))).toEqual([0.5]);
  });
});
