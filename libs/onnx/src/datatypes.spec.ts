import {
  DATATYPES,
  ORT_DATATYPES,
  datatypeByteSize,
  datatypeToOnnxType,
  datatypeToOrtType,
  isDatatype,
  onnxTypeCode,
  onnxTypeName,
  onnxTypeToDatatype,
  ortTypeToDatatype,
} from './datatypes';

describe('datatype mappings', () => {
  it('maps ONNX element types to KServe datatypes by name and by code', () => {
    expect(onnxTypeToDatatype('FLOAT')).toBe('FP32');
    expect(onnxTypeToDatatype('FLOAT16')).toBe('FP16');
    expect(onnxTypeToDatatype('DOUBLE')).toBe('FP64');
    expect(onnxTypeToDatatype('BFLOAT16')).toBe('BF16');
    expect(onnxTypeToDatatype('STRING')).toBe('BYTES');
    expect(onnxTypeToDatatype('BOOL')).toBe('BOOL');
    expect(onnxTypeToDatatype('UINT64')).toBe('UINT64');
    expect(onnxTypeToDatatype(1)).toBe('FP32');
    expect(onnxTypeToDatatype(7)).toBe('INT64');
    expect(onnxTypeToDatatype(8)).toBe('BYTES');
  });

  it('gives undefined for ONNX types the protocol cannot carry', () => {
    expect(onnxTypeToDatatype('COMPLEX64')).toBeUndefined();
    expect(onnxTypeToDatatype('FLOAT8E4M3FN')).toBeUndefined();
    expect(onnxTypeToDatatype('INT4')).toBeUndefined();
    expect(onnxTypeToDatatype(0)).toBeUndefined();
    expect(onnxTypeToDatatype(999)).toBeUndefined();
  });

  it('round-trips every datatype through its ONNX type', () => {
    for (const datatype of DATATYPES) {
      expect(onnxTypeToDatatype(datatypeToOnnxType(datatype))).toBe(datatype);
      expect(onnxTypeToDatatype(onnxTypeCode(datatypeToOnnxType(datatype)))).toBe(datatype);
    }
    expect(new Set(DATATYPES).size).toBe(14);
  });

  it('names ONNX type codes', () => {
    expect(onnxTypeName(1)).toBe('FLOAT');
    expect(onnxTypeName(16)).toBe('BFLOAT16');
    expect(onnxTypeName(0)).toBeUndefined();
    expect(onnxTypeCode('STRING')).toBe(8);
  });

  it('maps datatypes to onnxruntime-node tensor types and back', () => {
    const expected = {
      FP32: 'float32',
      FP16: 'float16',
      FP64: 'float64',
      INT8: 'int8',
      INT16: 'int16',
      INT32: 'int32',
      INT64: 'int64',
      UINT8: 'uint8',
      UINT16: 'uint16',
      UINT32: 'uint32',
      UINT64: 'uint64',
      BOOL: 'bool',
      BYTES: 'string',
    } as const;
    for (const [datatype, ortType] of Object.entries(expected)) {
      expect(datatypeToOrtType(datatype as keyof typeof expected)).toBe(ortType);
      expect(ortTypeToDatatype(ortType)).toBe(datatype);
    }
    expect(datatypeToOrtType('BF16')).toBeUndefined();
    expect(ortTypeToDatatype('int4')).toBeUndefined();
    expect([...ORT_DATATYPES].sort()).toEqual(Object.keys(expected).sort());
  });

  it('gives byte sizes, and none for BYTES', () => {
    expect(datatypeByteSize('FP32')).toBe(4);
    expect(datatypeByteSize('FP16')).toBe(2);
    expect(datatypeByteSize('BF16')).toBe(2);
    expect(datatypeByteSize('FP64')).toBe(8);
    expect(datatypeByteSize('INT64')).toBe(8);
    expect(datatypeByteSize('UINT16')).toBe(2);
    expect(datatypeByteSize('BOOL')).toBe(1);
    expect(datatypeByteSize('BYTES')).toBeUndefined();
  });

  it('recognises datatype names', () => {
    expect(isDatatype('FP32')).toBe(true);
    expect(isDatatype('FLOAT')).toBe(false);
    expect(isDatatype('toString')).toBe(false);
    expect(isDatatype(1)).toBe(false);
  });
});
