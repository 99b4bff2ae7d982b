import { datatypeOf, decodeOutputs, encodeInput, tensorStrings } from './tensors';

describe('tensors', () => {
  it('infers the datatype from the data', () => {
    expect(datatypeOf(new Float32Array(1))).toBe('FP32');
    expect(datatypeOf(new BigInt64Array(1))).toBe('INT64');
    expect(datatypeOf(Buffer.alloc(1))).toBe('UINT8');
    expect(datatypeOf([true])).toBe('BOOL');
    expect(datatypeOf(['a', Buffer.from('b')])).toBe('BYTES');
    expect(datatypeOf([1, 2])).toBeUndefined();
    expect(datatypeOf([])).toBeUndefined();
  });

  it('encodes raw little-endian bytes without copying typed arrays', () => {
    const data = Float32Array.of(1, -2);
    const { tensor, raw } = encodeInput({ name: 'x', shape: [2], data });
    expect(tensor).toEqual({ name: 'x', datatype: 'FP32', shape: [2] });
    expect(raw.buffer).toBe(data.buffer);
    expect(encodeInput({ name: 'b', shape: [3], data: [true, false, true] }).raw).toEqual(Buffer.from([1, 0, 1]));
    expect(encodeInput({ name: 's', shape: [2], data: ['ab', ''] }).raw).toEqual(
      Buffer.from([2, 0, 0, 0, 97, 98, 0, 0, 0, 0]),
    );
    expect(
      Array.from(
        new BigInt64Array(encodeInput({ name: 'i', datatype: 'INT64', shape: [2], data: [1, -2] }).raw.buffer),
      ),
    ).toEqual([1n, -2n]);
  });

  it('decodes raw outputs into fresh, aligned typed arrays, and typed contents too', () => {
    // An odd offset into a bigger buffer, as a received message may give.
    const backing = Buffer.alloc(1 + 8);
    backing.writeFloatLE(1.5, 1);
    backing.writeFloatLE(-3, 5);
    const [fp32, ints, text] = decodeOutputs({
      model_name: 'm',
      model_version: '1',
      id: '',
      parameters: {},
      outputs: [
        { name: 'a', datatype: 'FP32', shape: ['2'], parameters: {}, contents: null },
        { name: 'b', datatype: 'INT64', shape: ['1', '2'], parameters: {}, contents: null },
        { name: 'c', datatype: 'BYTES', shape: ['1'], parameters: {}, contents: null },
      ],
      raw_output_contents: [
        backing.subarray(1),
        Buffer.from(BigInt64Array.of(2n ** 60n, -1n).buffer),
        Buffer.from([1, 0, 0, 0, 0x7a]),
      ],
    });
    expect(fp32).toEqual({ name: 'a', datatype: 'FP32', shape: [2], data: Float32Array.of(1.5, -3) });
    expect(ints!.shape).toEqual([1, 2]);
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([2n ** 60n, -1n]);
    expect(tensorStrings(text!)).toEqual(['z']);
    const [typed] = decodeOutputs({
      model_name: 'm',
      model_version: '1',
      id: '',
      parameters: {},
      outputs: [
        { name: 'a', datatype: 'INT32', shape: ['2'], parameters: {}, contents: { int_contents: [4, -5] } as never },
      ],
      raw_output_contents: [],
    });
    expect(typed!.data).toEqual(Int32Array.of(4, -5));
  });

  it('refuses outputs whose bytes do not fit their shape', () => {
    expect(() =>
      decodeOutputs({
        model_name: 'm',
        model_version: '1',
        id: '',
        parameters: {},
        outputs: [{ name: 'a', datatype: 'FP32', shape: ['3'], parameters: {}, contents: null }],
        raw_output_contents: [Buffer.alloc(8)],
      }),
    ).toThrow(/output "a": FP32 shape \[3\] needs 12 bytes, got 8/);
    expect(() => tensorStrings({ name: 'a', datatype: 'FP32', shape: [1], data: new Float32Array(1) })).toThrow(
      /expected a BYTES tensor/,
    );
  });
});
