import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'protobufjs';
import { encodeModel } from './model-codec';
import { ONNX_PROTO } from './onnx-schema';

describe('ONNX_PROTO', () => {
  it('is byte-for-byte the text of onnx.proto', () => {
    expect(ONNX_PROTO).toBe(readFileSync(join(__dirname, 'onnx.proto'), 'utf8'));
  });

  it('declares the upstream field numbers', () => {
    const root = parse(ONNX_PROTO).root.resolveAll();
    const ids = (type: string): Record<string, number> =>
      Object.fromEntries(root.lookupType(type).fieldsArray.map((field) => [field.name, field.id]));
    expect(ids('onnx.ModelProto')).toMatchObject({
      irVersion: 1,
      producerName: 2,
      producerVersion: 3,
      domain: 4,
      modelVersion: 5,
      docString: 6,
      graph: 7,
      opsetImport: 8,
      metadataProps: 14,
      trainingInfo: 20,
      functions: 25,
    });
    expect(ids('onnx.GraphProto')).toMatchObject({
      node: 1,
      name: 2,
      initializer: 5,
      docString: 10,
      input: 11,
      output: 12,
      valueInfo: 13,
      sparseInitializer: 15,
    });
    expect(ids('onnx.NodeProto')).toMatchObject({
      input: 1,
      output: 2,
      name: 3,
      opType: 4,
      attribute: 5,
      domain: 7,
    });
    expect(ids('onnx.AttributeProto')).toMatchObject({
      name: 1,
      f: 2,
      i: 3,
      s: 4,
      t: 5,
      g: 6,
      floats: 7,
      ints: 8,
      strings: 9,
      tensors: 10,
      type: 20,
    });
    expect(ids('onnx.TensorProto')).toMatchObject({
      dims: 1,
      dataType: 2,
      floatData: 4,
      int32Data: 5,
      stringData: 6,
      int64Data: 7,
      name: 8,
      rawData: 9,
      doubleData: 10,
      uint64Data: 11,
      externalData: 13,
      dataLocation: 14,
    });
    expect(ids('onnx.TypeProto')).toMatchObject({
      tensorType: 1,
      sequenceType: 4,
      mapType: 5,
      sparseTensorType: 8,
      optionalType: 9,
    });
    expect(ids('onnx.TensorShapeProto.Dimension')).toEqual({ dimValue: 1, dimParam: 2, denotation: 3 });
    expect(ids('onnx.OperatorSetIdProto')).toEqual({ domain: 1, version: 2 });
  });

  it('encodes with proto2 wire tags: ir_version is field 1 varint, graph field 7 length-delimited', () => {
    const bytes = encodeModel({ irVersion: 8, graph: { name: 'g' } });
    // 0x08 = (1 << 3) | 0, 0x3a = (7 << 3) | 2, then GraphProto.name: 0x12 = (2 << 3) | 2.
    expect([...bytes]).toEqual([0x08, 0x08, 0x3a, 0x03, 0x12, 0x01, 0x67]);
  });

  it('writes float_data packed, as upstream declares it', () => {
    const bytes = encodeModel({ graph: { initializer: [{ floatData: [1] }] } });
    // graph(7) → initializer(5) → float_data(4) as one length-delimited run: tag 0x22, length 4.
    expect([...bytes]).toEqual([0x3a, 0x08, 0x2a, 0x06, 0x22, 0x04, 0x00, 0x00, 0x80, 0x3f]);
  });
});
