import { InternalError, InvalidArgumentError, encodeBytesElements } from '@aiaas/common';
import type { ModelInferResponse__Output } from '@aiaas/proto';
import { decodeInferRequest } from './infer-request';
import { encodeInferResponse } from './infer-response';
import { restBody, splitBody } from './test-helpers';

const f32 = (values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);

function response(
  outputs: { name: string; datatype: string; shape: number[]; raw: Buffer }[],
): ModelInferResponse__Output {
  return {
    model_name: 'm',
    model_version: '3',
    id: '',
    parameters: {},
    outputs: outputs.map(({ name, datatype, shape }) => ({
      name,
      datatype,
      shape: shape.map(String),
      parameters: {},
      contents: null,
    })),
    raw_output_contents: outputs.map((o) => o.raw),
  };
}

const TWO = response([
  { name: 'y', datatype: 'FP32', shape: [1, 2], raw: f32([1.5, -2]) },
  { name: 'z', datatype: 'BYTES', shape: [2], raw: encodeBytesElements(['a', 'bc']) },
]);

const optionsFor = (json: unknown) => decodeInferRequest(restBody(json).body, {}, 'm').responseOptions;
const INPUT = { name: 'x', shape: [1], datatype: 'FP32', data: [0] };

describe('encodeInferResponse', () => {
  it('answers plain JSON by default, without id or parameters when there are none', () => {
    const { body, headers } = encodeInferResponse(TWO);
    expect(headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(body.toString())).toEqual({
      model_name: 'm',
      model_version: '3',
      outputs: [
        { name: 'y', shape: [1, 2], datatype: 'FP32', data: [1.5, -2] },
        { name: 'z', shape: [2], datatype: 'BYTES', data: ['a', 'bc'] },
      ],
    });
  });

  it('answers every output in binary with binary_data_output, in output order', () => {
    const { body, headers } = encodeInferResponse(
      TWO,
      optionsFor({ parameters: { binary_data_output: true }, inputs: [INPUT] }),
    );
    expect(headers['content-type']).toBe('application/octet-stream');
    const { json, rest } = splitBody(body, headers);
    expect(headers['inference-header-content-length']).toBe(String(body.length - rest.length));
    expect(json.outputs).toEqual([
      { name: 'y', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: 8 } },
      { name: 'z', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 11 } },
    ]);
    expect(rest.equals(Buffer.concat([f32([1.5, -2]), encodeBytesElements(['a', 'bc'])]))).toBe(true);
  });

  it('answers only the outputs requested with binary_data: true in binary; binary_data: false overrides binary_data_output', () => {
    const one = encodeInferResponse(
      TWO,
      optionsFor({ inputs: [INPUT], outputs: [{ name: 'z', parameters: { binary_data: true } }, { name: 'y' }] }),
    );
    const { json, rest } = splitBody(one.body, one.headers);
    expect(json.outputs).toEqual([
      { name: 'y', shape: [1, 2], datatype: 'FP32', data: [1.5, -2] },
      { name: 'z', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 11 } },
    ]);
    expect(rest.equals(encodeBytesElements(['a', 'bc']))).toBe(true);

    const overridden = encodeInferResponse(
      TWO,
      optionsFor({
        parameters: { binary_data_output: true },
        inputs: [INPUT],
        outputs: [{ name: 'y', parameters: { binary_data: false } }],
      }),
    );
    const split = splitBody(overridden.body, overridden.headers);
    expect(split.json.outputs.map((o) => o.data !== undefined)).toEqual([true, false]); // y JSON, z binary
  });

  it('echoes id and parameters, 64-bit values beyond 2^53 as strings', () => {
    const withParams: ModelInferResponse__Output = {
      ...TWO,
      id: 'req-7',
      parameters: {
        big: { int64_param: '9007199254740993', parameter_choice: 'int64_param' },
        small: { uint64_param: '5', parameter_choice: 'uint64_param' },
        flag: { bool_param: false, parameter_choice: 'bool_param' },
        s: { string_param: 'v', parameter_choice: 'string_param' },
        d: { double_param: 0.25, parameter_choice: 'double_param' },
      },
    };
    const json = JSON.parse(encodeInferResponse(withParams).body.toString());
    expect(json.id).toBe('req-7');
    expect(json.parameters).toEqual({ big: '9007199254740993', small: 5, flag: false, s: 'v', d: 0.25 });
  });

  it('writes INT64/UINT64 outputs as numbers when safe and strings beyond 2^53, FP16 as numbers, NaN as null', () => {
    const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const { body } = encodeInferResponse(
      response([
        { name: 'u', datatype: 'UINT64', shape: [2], raw: raw(new BigUint64Array([18446744073709551615n, 7n])) },
        {
          name: 'i',
          datatype: 'INT64',
          shape: [2],
          raw: raw(new BigInt64Array([-9007199254740993n, -9007199254740991n])),
        },
        { name: 'h', datatype: 'FP16', shape: [3], raw: raw(new Uint16Array([0x3555, 0x0001, 0x7e00])) },
      ]),
    );
    const outputs = JSON.parse(body.toString()).outputs;
    expect(outputs[0].data).toEqual(['18446744073709551615', 7]);
    expect(outputs[1].data).toEqual(['-9007199254740993', -9007199254740991]);
    expect(outputs[2].data).toEqual([0.333251953125, 2 ** -24, null]);
  });

  it('reads raw outputs that are not aligned to their element width', () => {
    const backing = Buffer.alloc(9);
    f32([3]).copy(backing, 1);
    const { body } = encodeInferResponse(
      response([{ name: 'y', datatype: 'FP32', shape: [1], raw: backing.subarray(1, 5) }]),
    );
    expect(JSON.parse(body.toString()).outputs[0].data).toEqual([3]);
  });

  it('treats a malformed model response as an internal error', () => {
    const short = response([{ name: 'y', datatype: 'FP32', shape: [2], raw: Buffer.alloc(4) }]);
    expect(() => encodeInferResponse(short)).toThrow(InternalError);
    expect(() => encodeInferResponse(short)).toThrow('output "y": expected FP32 [2] = 8 bytes, the model returned 4');
    expect(() => encodeInferResponse({ ...short, raw_output_contents: [] })).toThrow(
      'output "y": the model\'s response has no raw_output_contents entry for it',
    );
    const badBytes = response([{ name: 's', datatype: 'BYTES', shape: [1], raw: Buffer.from([5, 0, 0, 0]) }]);
    expect(() => encodeInferResponse(badBytes)).toThrow(
      'the model returned a malformed BYTES tensor: output "s": BYTES element 0 declares 5 bytes but only 0 remain',
    );
  });

  it('asks for binary_data when a BYTES output is not UTF-8', () => {
    const notText = response([
      { name: 's', datatype: 'BYTES', shape: [1], raw: encodeBytesElements([Buffer.from([0xff])]) },
    ]);
    expect(() => encodeInferResponse(notText)).toThrow(InvalidArgumentError);
    expect(() => encodeInferResponse(notText)).toThrow(
      'output "s": BYTES element is not valid UTF-8 (string tensors need text); JSON cannot carry it, request the output with parameters.binary_data: true',
    );
    const binary = encodeInferResponse(
      notText,
      optionsFor({ inputs: [INPUT], outputs: [{ name: 's', parameters: { binary_data: true } }] }),
    );
    expect(splitBody(binary.body, binary.headers).rest.equals(encodeBytesElements([Buffer.from([0xff])]))).toBe(true);
  });
});
