import { InvalidArgumentError, decodeBytesElements } from '@aiaas/common';
import { decodeInferRequest } from './infer-request';
import { encodeInferResponse } from './infer-response';
import { echoResponse, restBody, splitBody } from './test-helpers';

type Case = { datatype: string; shape: number[]; data: unknown[]; raw: Buffer; json?: unknown[] };

const le = (Ctor: { from(values: any[]): ArrayBufferView }, values: any[]): Buffer => {
  const view = Ctor.from(values);
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
};

/** Every datatype: JSON data, its raw form, and what JSON returns (when not the same as sent). */
const CASES: Case[] = [
  {
    datatype: 'BOOL',
    shape: [2, 2],
    data: [
      [true, false],
      [false, true],
    ],
    raw: Buffer.from([1, 0, 0, 1]),
  },
  { datatype: 'UINT8', shape: [3], data: [0, 128, 255], raw: Buffer.from([0, 128, 255]) },
  { datatype: 'UINT16', shape: [2], data: [0, 65535], raw: le(Uint16Array, [0, 65535]) },
  { datatype: 'UINT32', shape: [2], data: [1, 4294967295], raw: le(Uint32Array, [1, 4294967295]) },
  {
    datatype: 'UINT64',
    shape: [3],
    data: [0, 9007199254740991, '18446744073709551615'],
    raw: le(BigUint64Array, [0n, 9007199254740991n, 18446744073709551615n]),
  },
  { datatype: 'INT8', shape: [2], data: [-128, 127], raw: le(Int8Array, [-128, 127]) },
  { datatype: 'INT16', shape: [2], data: [-32768, 32767], raw: le(Int16Array, [-32768, 32767]) },
  {
    datatype: 'INT32',
    shape: [1, 2],
    data: [[-2147483648, 2147483647]],
    raw: le(Int32Array, [-2147483648, 2147483647]),
  },
  {
    datatype: 'INT64',
    shape: [3],
    data: ['-9223372036854775808', -5, '9007199254740993'],
    raw: le(BigInt64Array, [-9223372036854775808n, -5n, 9007199254740993n]),
  },
  { datatype: 'FP16', shape: [4], data: [0, 1, -2, 65504], raw: le(Uint16Array, [0x0000, 0x3c00, 0xc000, 0x7bff]) },
  { datatype: 'FP32', shape: [2], data: [0.5, -1.25], raw: le(Float32Array, [0.5, -1.25]) },
  { datatype: 'FP64', shape: [2], data: [0.1, -1e300], raw: le(Float64Array, [0.1, -1e300]) },
  {
    datatype: 'BYTES',
    shape: [3],
    data: ['héllo', '', 'x'],
    raw: Buffer.from([5 + 1, 0, 0, 0, ...Buffer.from('héllo'), 0, 0, 0, 0, 1, 0, 0, 0, 0x78]),
  },
  { datatype: 'BF16', shape: [2], data: [1, -2], raw: le(Uint16Array, [0x3f80, 0xc000]) },
];

const flat = (data: unknown[]): unknown[] => data.flat(Infinity);

describe('decodeInferRequest: JSON tensors', () => {
  it.each(CASES)('$datatype: JSON → raw → JSON round trip', ({ datatype, shape, data, raw, json }) => {
    const { body, headers } = restBody({ id: 'r1', inputs: [{ name: 'x', shape, datatype, data }] });
    const { request } = decodeInferRequest(body, headers, 'm', '2');
    expect(request.model_name).toBe('m');
    expect(request.model_version).toBe('2');
    expect(request.id).toBe('r1');
    expect(request.inputs).toEqual([{ name: 'x', datatype, shape }]);
    expect(Buffer.from(request.raw_input_contents![0] as Buffer).equals(raw)).toBe(true);

    const encoded = encodeInferResponse(echoResponse(request));
    expect(encoded.headers).toEqual({ 'content-type': 'application/json' });
    const out = JSON.parse(encoded.body.toString('utf8'));
    const expected = (json ?? flat(data)).map((v) =>
      // 64-bit integers come back as numbers when safe, strings otherwise.
      typeof v === 'string' && (datatype === 'INT64' || datatype === 'UINT64') && Number.isSafeInteger(Number(v))
        ? Number(v)
        : v,
    );
    expect(out).toEqual({
      model_name: 'm',
      model_version: '2',
      id: 'r1',
      outputs: [{ name: 'x', shape, datatype, data: expected }],
    });
  });

  it.each(CASES)('$datatype: binary request → raw → binary response round trip', ({ datatype, shape, raw }) => {
    const { body, headers } = restBody(
      {
        inputs: [{ name: 'x', shape, datatype, parameters: { binary_data_size: raw.length } }],
        parameters: { binary_data_output: true },
      },
      raw,
    );
    const { request, responseOptions } = decodeInferRequest(body, headers, 'm');
    expect(request.inputs).toEqual([{ name: 'x', datatype, shape }]); // binary_data_size is not forwarded
    expect(request.parameters).toBeUndefined(); // nor is binary_data_output
    expect(Buffer.from(request.raw_input_contents![0] as Buffer).equals(raw)).toBe(true);

    const encoded = encodeInferResponse(echoResponse(request), responseOptions);
    expect(encoded.headers['content-type']).toBe('application/octet-stream');
    const { json, rest } = splitBody(encoded.body, encoded.headers);
    expect(json.outputs).toEqual([{ name: 'x', shape, datatype, parameters: { binary_data_size: raw.length } }]);
    expect(rest.equals(raw)).toBe(true);
  });

  it('takes flat and nested data alike, row-major', () => {
    const decode = (data: unknown) =>
      decodeInferRequest(restBody({ inputs: [{ name: 'x', shape: [2, 3], datatype: 'INT32', data }] }).body, {}, 'm')
        .request.raw_input_contents![0];
    const expected = le(Int32Array, [1, 2, 3, 4, 5, 6]);
    expect(decode([1, 2, 3, 4, 5, 6])).toEqual(expected);
    expect(
      decode([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual(expected);
  });

  it('takes a scalar (shape []) as a one-element array and an empty tensor as []', () => {
    const { request } = decodeInferRequest(
      restBody({
        inputs: [
          { name: 's', shape: [], datatype: 'FP32', data: [2] },
          { name: 'e', shape: [0, 3], datatype: 'FP32', data: [] },
        ],
      }).body,
      {},
      'm',
    );
    expect(request.raw_input_contents).toEqual([le(Float32Array, [2]), Buffer.alloc(0)]);
  });

  it('converts FP16 numbers with round-to-nearest-even, subnormals included', () => {
    const data = [2 ** -24, 2 ** -25, 3 * 2 ** -25, 1 + 2 ** -11, 0.1, -1];
    const { request } = decodeInferRequest(
      restBody({ inputs: [{ name: 'h', shape: [6], datatype: 'FP16', data }] }).body,
      {},
      'm',
    );
    expect(request.raw_input_contents![0]).toEqual(le(Uint16Array, [0x0001, 0x0000, 0x0002, 0x3c00, 0x2e66, 0xbc00]));
  });

  it('forwards request, input and output parameters as gRPC InferParameters', () => {
    const { request, responseOptions } = decodeInferRequest(
      restBody({
        parameters: { priority: 1, tag: 'a', exact: true, ratio: 0.5, binary_data_output: false },
        inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1], parameters: { note: 'n' } }],
        outputs: [{ name: 'y', parameters: { binary_data: true, top_k: 3 } }, { name: 'z' }],
      }).body,
      {},
      'm',
    );
    expect(request.parameters).toEqual({
      priority: { int64_param: '1' },
      tag: { string_param: 'a' },
      exact: { bool_param: true },
      ratio: { double_param: 0.5 },
    });
    expect(request.inputs![0]!.parameters).toEqual({ note: { string_param: 'n' } });
    expect(request.outputs).toEqual([{ name: 'y', parameters: { top_k: { int64_param: '3' } } }, { name: 'z' }]);
    expect(responseOptions.binaryDataOutput).toBe(false);
    expect([...responseOptions.binaryData]).toEqual([
      ['y', true],
      ['z', false],
    ]);
  });

  it('mixes JSON and binary inputs, binary sections in input order', () => {
    const a = le(Float32Array, [1, 2]);
    const c = Buffer.from([1, 0, 0, 0, 0x61]);
    const { body, headers } = restBody(
      {
        inputs: [
          { name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } },
          { name: 'b', shape: [1], datatype: 'INT8', data: [7] },
          { name: 'c', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: 5 } },
        ],
      },
      a,
      c,
    );
    const { request } = decodeInferRequest(body, headers, 'm');
    expect(request.raw_input_contents).toEqual([a, Buffer.from([7]), c]);
    expect(decodeBytesElements('c', request.raw_input_contents![2] as Buffer, 1)).toEqual(['a']);
  });

  it('treats the whole body as JSON without Inference-Header-Content-Length, whatever the content type', () => {
    const { body } = restBody({ inputs: [{ name: 'x', shape: [1], datatype: 'BOOL', data: [true] }] });
    const { request } = decodeInferRequest(body, { 'content-type': 'application/octet-stream' }, 'm');
    expect(request.raw_input_contents).toEqual([Buffer.from([1])]);
  });
});

describe('decodeInferRequest: bad input', () => {
  const json =
    (value: unknown, headers = {}) =>
    () =>
      decodeInferRequest(Buffer.from(JSON.stringify(value)), headers, 'm');
  const input = (tensor: Record<string, unknown>) => json({ inputs: [{ name: 'x', ...tensor }] });
  const text = (value: string) => () => decodeInferRequest(Buffer.from(value), {}, 'm');

  it('throws InvalidArgumentError', () => {
    expect(text('{')).toThrow(InvalidArgumentError);
  });

  it('reports malformed JSON with its position', () => {
    expect(text('{"inputs": [1,]}')).toThrow(
      'malformed JSON at position 14 (line 1, column 15): unexpected character "]"',
    );
    expect(text('{"inputs":\n  [1 2]}')).toThrow(
      "malformed JSON at position 16 (line 2, column 6): unexpected character \"2\", expected ',' or ']'",
    );
    expect(text('')).toThrow('malformed JSON at position 0 (line 1, column 1): unexpected end of input');
    expect(text('{"a":1} x')).toThrow(/position 8 .*unexpected content after the JSON value/);
    expect(text('{a:1}')).toThrow(/position 1 .*expected a property name in double quotes/);
  });

  it('names missing and mistyped top-level fields', () => {
    expect(json([1])).toThrow('inference request: expected a JSON object, got [1] (array)');
    expect(json({})).toThrow(
      'inference request: "inputs" must be a non-empty array of input tensors, got undefined (undefined)',
    );
    expect(json({ inputs: [] })).toThrow('"inputs" must be a non-empty array of input tensors, got [] (array)');
    expect(json({ id: 5, inputs: [] })).toThrow('inference request: "id" must be a string, got 5 (number)');
    expect(json({ inputs: [3] })).toThrow('inference request: inputs[0] must be an object, got 3 (number)');
    expect(json({ inputs: [{ shape: [1] }] })).toThrow(
      'inference request: inputs[0]: "name" must be a non-empty string, got undefined',
    );
    expect(input({ datatype: 'FP32', data: [1] })).toThrow('input "x": missing "shape"');
    expect(input({ shape: [1], data: [1] })).toThrow('input "x": missing "datatype"');
    expect(input({ shape: [1], datatype: 'FP32' })).toThrow(
      'input "x": missing "data" (or parameters.binary_data_size with binary data)',
    );
    expect(json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }], outputs: {} })).toThrow(
      'inference request: "outputs" must be an array, got {} (object)',
    );
    expect(json({ parameters: { a: null }, inputs: [] })).toThrow(
      'inference request: parameter "a" is null (null), expected a boolean, number or string',
    );
    expect(
      json({
        inputs: [
          { name: 'x', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'x', shape: [1], datatype: 'FP32', data: [1] },
        ],
      }),
    ).toThrow('input "x" appears more than once');
  });

  it('lists the valid datatypes for a wrong name', () => {
    expect(input({ shape: [1], datatype: 'FLOAT32', data: [1] })).toThrow(
      'input "x": unknown datatype "FLOAT32" (string); expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16, BYTES',
    );
  });

  it('refuses non-integer and negative shape dimensions', () => {
    expect(input({ shape: [2, -1], datatype: 'FP32', data: [1, 2] })).toThrow(
      'input "x": shape dimension 1 is -1 (number), expected a non-negative integer',
    );
    expect(input({ shape: [1.5], datatype: 'FP32', data: [1] })).toThrow('shape dimension 0 is 1.5 (number)');
    expect(input({ shape: ['2'], datatype: 'FP32', data: [1, 2] })).toThrow('shape dimension 0 is "2" (string)');
    expect(input({ shape: 2, datatype: 'FP32', data: [1, 2] })).toThrow(
      'input "x": shape must be an array of non-negative integers, got 2 (number)',
    );
  });

  it('refuses data whose length does not match the shape', () => {
    expect(input({ shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5] })).toThrow(
      'input "x": shape [2,3] needs 6 elements, data has 5',
    );
    expect(input({ shape: [2, 2], datatype: 'FP32', data: [[1, 2], [3, 4], [5]] })).toThrow(
      'input "x": shape [2,2] needs 4 elements, data has 5',
    );
    expect(input({ shape: [2], datatype: 'FP32', data: 'ab' })).toThrow(
      'input "x": data must be an array (flat or nested row-major), got "ab" (string)',
    );
    expect(input({ shape: [1], datatype: 'FP32', data: [[[1]]] })).toThrow(
      'input "x": data is nested 2 deep but the shape has rank 1',
    );
  });

  it('refuses values of the wrong JSON type or out of range, naming the element', () => {
    expect(input({ shape: [2], datatype: 'BOOL', data: [true, 1] })).toThrow(
      'input "x": BOOL element 1 is 1 (number), expected true or false',
    );
    expect(input({ shape: [1], datatype: 'INT8', data: [128] })).toThrow(
      'input "x": INT8 element 0 is 128 (number), expected an integer in -128..127',
    );
    expect(input({ shape: [1], datatype: 'UINT8', data: [-1] })).toThrow(
      'UINT8 element 0 is -1 (number), expected an integer in 0..255',
    );
    expect(input({ shape: [1], datatype: 'INT32', data: [1.5] })).toThrow(
      'INT32 element 0 is 1.5 (number), expected an integer in',
    );
    expect(input({ shape: [1], datatype: 'UINT16', data: ['1'] })).toThrow('UINT16 element 0 is "1" (string)');
    expect(input({ shape: [1], datatype: 'UINT32', data: [4294967296] })).toThrow(
      'expected an integer in 0..4294967295',
    );
    expect(input({ shape: [1], datatype: 'UINT64', data: ['18446744073709551616'] })).toThrow(
      'input "x": UINT64 element 0 is "18446744073709551616" (string), expected an integer in 0..18446744073709551615 (a JSON number, or a decimal string for values beyond 2^53, which JSON numbers cannot hold exactly)',
    );
    // A JSON number for UINT64 max is parsed as 2^64 and so is out of range: the hint says to use a string.
    expect(text('{"inputs":[{"name":"x","shape":[1],"datatype":"UINT64","data":[18446744073709551615]}]}')).toThrow(
      /decimal string for values beyond 2\^53/,
    );
    expect(input({ shape: [1], datatype: 'INT64', data: ['1e3'] })).toThrow('INT64 element 0 is "1e3" (string)');
    expect(input({ shape: [1], datatype: 'FP32', data: ['1'] })).toThrow(
      'input "x": FP32 element 0 is "1" (string), expected a number',
    );
    expect(input({ shape: [1], datatype: 'FP32', data: [1e39] })).toThrow(
      'input "x": FP32 element 0 is 1e+39 (number), expected a number within the FP32 range (±3.4028234663852886e38)',
    );
    expect(input({ shape: [1], datatype: 'FP16', data: [65520] })).toThrow(
      'input "x": FP16 element 0 is 65520 (number), expected a number within the FP16 range (±65504)',
    );
    expect(input({ shape: [1], datatype: 'FP64', data: [null] })).toThrow(
      'FP64 element 0 is null (null), expected a number',
    );
    expect(input({ shape: [1], datatype: 'BYTES', data: [1] })).toThrow(
      'input "x": BYTES element 0 is 1 (number), expected a string',
    );
  });

  describe('binary tensor data extension', () => {
    const binary = (inputs: unknown[], ...sections: Buffer[]) => {
      const { body, headers } = restBody({ inputs }, ...sections);
      return () => decodeInferRequest(body, headers, 'm');
    };

    it('refuses a header length beyond the body or not a number', () => {
      const body = Buffer.from('{"inputs":[]}');
      expect(() => decodeInferRequest(body, { 'inference-header-content-length': '500' }, 'm')).toThrow(
        'Inference-Header-Content-Length is 500 but the body has only 13 bytes',
      );
      expect(() => decodeInferRequest(body, { 'inference-header-content-length': '-1' }, 'm')).toThrow(
        'Inference-Header-Content-Length must be a non-negative integer, got "-1"',
      );
      expect(() => decodeInferRequest(body, { 'inference-header-content-length': '5' }, 'm')).toThrow(
        'malformed JSON at position 5 (line 1, column 6): unterminated property name',
      );
    });

    it('refuses sizes that do not add up to the bytes after the header', () => {
      const header = Buffer.byteLength(
        JSON.stringify({ inputs: [{ name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }),
      );
      expect(
        binary([{ name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }], Buffer.alloc(12)),
      ).toThrow(
        `binary tensor data: inputs declare 8 bytes ("a" 8) but 12 bytes follow the ${header}-byte JSON header`,
      );
      expect(binary([{ name: 'a', shape: [2], datatype: 'FP32', data: [1, 2] }], Buffer.alloc(4))).toThrow(
        /inputs declare 0 bytes \(no input has parameters.binary_data_size\) but 4 bytes follow/,
      );
      // binary_data_size without any binary body at all
      expect(
        json({ inputs: [{ name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }),
      ).toThrow(/inputs declare 8 bytes \("a" 8\) but 0 bytes follow/);
    });

    it('refuses a binary size that does not match the shape', () => {
      expect(
        binary(
          [
            { name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 4 } },
            { name: 'b', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } },
          ],
          Buffer.alloc(8),
        ),
      ).toThrow('input "a": expected FP32 [2] = 8 bytes of binary data, parameters.binary_data_size is 4');
    });

    it('refuses a malformed BYTES block', () => {
      expect(
        binary(
          [{ name: 's', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: 5 } }],
          Buffer.from([9, 0, 0, 0, 1]),
        ),
      ).toThrow('input "s": BYTES element 0 declares 9 bytes but only 1 remain');
      expect(
        binary(
          [{ name: 's', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 5 } }],
          Buffer.from([1, 0, 0, 0, 1]),
        ),
      ).toThrow('input "s": shape needs 2 BYTES elements, got 1');
    });

    it('refuses both data and binary_data_size, and bad sizes or flags', () => {
      expect(
        binary(
          [{ name: 'a', shape: [1], datatype: 'INT8', data: [1], parameters: { binary_data_size: 1 } }],
          Buffer.alloc(1),
        ),
      ).toThrow('input "a": has both "data" and parameters.binary_data_size; send one');
      expect(
        binary([{ name: 'a', shape: [1], datatype: 'INT8', parameters: { binary_data_size: '1' } }], Buffer.alloc(1)),
      ).toThrow('input "a": parameters.binary_data_size is "1" (string), expected a non-negative integer');
      expect(
        json({
          inputs: [{ name: 'a', shape: [1], datatype: 'INT8', data: [1] }],
          outputs: [{ name: 'y', parameters: { binary_data: 1 } }],
        }),
      ).toThrow('output "y": parameters.binary_data is 1 (number), expected true or false');
      expect(json({ parameters: { binary_data_output: 'yes' }, inputs: [] })).toThrow(
        'inference request: parameters.binary_data_output is "yes" (string), expected true or false',
      );
    });
  });
});
