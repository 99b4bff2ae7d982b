import { runInNewContext } from 'node:vm';
import { decodeModel, encodeModel } from './model-codec';
import { OnnxFormatError } from './onnx-format-error';
import { ATTRIBUTE_TYPE, TENSOR_DATA_LOCATION, TENSOR_DATA_TYPE } from './onnx-types';
import type { ModelProto } from './onnx-types';
import { buildMlp, MLP_SMALL } from './models/mlp';
import { buildMultiIoModel } from './models/multi-io-model';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A model touching every kind of field: nested messages, oneofs, bytes, packed and 64-bit values. */
function richModel(): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    producerName: 'test',
    producerVersion: '1.2.3',
    domain: 'com.example',
    modelVersion: 2 ** 40,
    docString: 'döc',
    metadataProps: [{ key: 'owner', value: 'team' }],
    graph: {
      name: 'g',
      node: [
        {
          input: ['x', ''],
          output: ['y'],
          name: 'slice',
          opType: 'Slice',
          attribute: [
            { name: 'ends', type: ATTRIBUTE_TYPE.INTS, ints: [INT64_MAX, -1, 0, INT64_MIN] },
            { name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: 0.5 },
            { name: 'mode', type: ATTRIBUTE_TYPE.STRING, s: utf8('UPPER') },
            { name: 'big', type: ATTRIBUTE_TYPE.INT, i: -(2n ** 60n) },
            {
              name: 'value',
              type: ATTRIBUTE_TYPE.TENSOR,
              t: { dims: [2], dataType: TENSOR_DATA_TYPE.INT32, int32Data: [-7, 7] },
            },
          ],
        },
      ],
      initializer: [
        { name: 'w', dims: [2, 2], dataType: TENSOR_DATA_TYPE.FLOAT, rawData: new Uint8Array(16).fill(1) },
        { name: 'i64', dims: [3], dataType: TENSOR_DATA_TYPE.INT64, int64Data: [INT64_MAX, -5, INT64_MIN] },
        { name: 'u64', dims: [2], dataType: TENSOR_DATA_TYPE.UINT64, uint64Data: [UINT64_MAX, 3] },
        { name: 'd', dims: [2], dataType: TENSOR_DATA_TYPE.DOUBLE, doubleData: [Math.PI, -0.25] },
        { name: 's', dims: [2], dataType: TENSOR_DATA_TYPE.STRING, stringData: [utf8('a'), utf8('ß')] },
        {
          name: 'ext',
          dims: [1024],
          dataType: TENSOR_DATA_TYPE.FLOAT,
          dataLocation: TENSOR_DATA_LOCATION.EXTERNAL,
          externalData: [
            { key: 'location', value: 'weights.bin' },
            { key: 'offset', value: '0' },
          ],
        },
      ],
      input: [
        {
          name: 'x',
          type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }, {}] } } },
        },
      ],
      output: [
        {
          name: 'y',
          type: {
            sequenceType: {
              elemType: { mapType: { keyType: 7, valueType: { tensorType: { elemType: 1 } } } },
            },
          },
        },
      ],
    },
  };
}

describe('encodeModel / decodeModel', () => {
  it('round-trips every kind of field, keeping 64-bit extremes exact', () => {
    const model = richModel();
    const decoded = decodeModel(encodeModel(model));
    expect(decoded).toEqual(model);
    const ends = decoded.graph?.node?.[0]?.attribute?.[0]?.ints;
    expect(ends).toEqual([INT64_MAX, -1, 0, INT64_MIN]);
    expect(decoded.graph?.initializer?.[2]?.uint64Data?.[0]).toBe(UINT64_MAX);
    expect(decoded.modelVersion).toBe(2 ** 40);
  });

  it('gives 64-bit values that fit as plain numbers', () => {
    const decoded = decodeModel(encodeModel(richModel()));
    expect(typeof decoded.irVersion).toBe('number');
    expect(decoded.graph?.initializer?.[1]?.int64Data?.[1]).toBe(-5);
    expect(decoded.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[1]?.dimValue).toBe(3);
  });

  it('re-encodes decoded bytes to identical bytes', () => {
    for (const bytes of [encodeModel(richModel()), buildMlp(MLP_SMALL).bytes, buildMultiIoModel().bytes]) {
      expect(Buffer.from(encodeModel(decodeModel(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('keeps proto2 presence: absent fields stay absent, a present empty shape stays present', () => {
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ version: 17 }],
      graph: { input: [{ name: 'scalar', type: { tensorType: { elemType: 1, shape: {} } } }] },
    };
    const decoded = decodeModel(encodeModel(model));
    expect(decoded).toEqual(model);
    expect('producerName' in decoded).toBe(false);
    expect(decoded.opsetImport?.[0]).toEqual({ version: 17 });
  });

  it('decodes bytes fields as plain Uint8Arrays', () => {
    const decoded = decodeModel(encodeModel(richModel()));
    const raw = decoded.graph?.initializer?.[0]?.rawData;
    expect(raw?.constructor).toBe(Uint8Array);
    expect(raw).toEqual(new Uint8Array(16).fill(1));
  });

  it('accepts a Uint8Array from another realm', () => {
    const bytes = buildMultiIoModel().bytes;
    const foreign = runInNewContext('new Uint8Array(length)', { length: bytes.length }) as Uint8Array;
    foreign.set(bytes);
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(decodeModel(foreign).graph?.name).toBe('multi_io');
  });

  it('names the field when encoding a value of the wrong kind', () => {
    const bad = { irVersion: 1.5, graph: {} } as ModelProto;
    expect(() => encodeModel(bad)).toThrow(/model\.irVersion: expected an integer/);
    const notArray = { graph: { node: { opType: 'Relu' } } } as unknown as ModelProto;
    expect(() => encodeModel(notArray)).toThrow(/model\.graph\.node: expected an array/);
    const wrongScalar = { graph: { name: 42 } } as unknown as ModelProto;
    expect(() => encodeModel(wrongScalar)).toThrow(OnnxFormatError);
  });
});

describe('decodeModel errors', () => {
  const expectFormatError = (bytes: Uint8Array, message: RegExp): void => {
    let caught: unknown;
    try {
      decodeModel(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OnnxFormatError);
    expect((caught as Error).name).toBe('OnnxFormatError');
    expect((caught as Error).message).toMatch(message);
  };

  it('rejects bytes that are not a protobuf', () => {
    expectFormatError(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), /not an ONNX model/);
    expectFormatError(utf8('<html><body>not a model</body></html>'), /not an ONNX model/);
  });

  it('rejects empty input', () => {
    expectFormatError(new Uint8Array(0), /empty/);
  });

  it('rejects a valid protobuf with no graph', () => {
    const noGraph = encodeModel({ irVersion: 8, producerName: 'x', opsetImport: [{ version: 17 }] });
    expectFormatError(noGraph, /no graph/);
  });

  it('rejects a model without ir_version or opset_import', () => {
    expectFormatError(encodeModel({ opsetImport: [{ version: 17 }], graph: {} }), /ir_version/);
    expectFormatError(encodeModel({ irVersion: 8, graph: {} }), /opset_import/);
  });

  it('rejects every truncation of a valid model', () => {
    const bytes = buildMultiIoModel().bytes;
    expect(decodeModel(bytes).graph?.name).toBe('multi_io');
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeModel(bytes.subarray(0, length))).toThrow(OnnxFormatError);
    }
  });

  it('says "truncated" when a field runs past the end', () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    expectFormatError(bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated/);
  });

  it('rejects something that is not bytes', () => {
    expectFormatError('model.onnx' as unknown as Uint8Array, /expected bytes/);
  });

  it('keeps the protobuf error as the cause', () => {
    try {
      decodeModel(new Uint8Array([0x0f]));
      throw new Error('expected decodeModel to throw');
    } catch (err) {
      expect(err).toBeInstanceOf(OnnxFormatError);
      expect((err as Error).cause).toBeInstanceOf(Error);
    }
  });
});
