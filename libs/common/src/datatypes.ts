/** Every tensor datatype of the KServe V2 / Open Inference Protocol, in the protocol's order. */
export const DATATYPES = Object.freeze([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
] as const);

/** A tensor datatype as named by the KServe V2 / Open Inference Protocol. */
export type Datatype = (typeof DATATYPES)[number];
