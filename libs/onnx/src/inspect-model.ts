import { onnxTypeBits, onnxTypeName, onnxTypeToDatatype } from './datatypes';
import type { Datatype } from './datatypes';
import { decodeModel, isUint8Array } from './model-codec';
import { TENSOR_DATA_LOCATION, TENSOR_DATA_TYPE } from './onnx-types';
import type {
  AttributeProto,
  GraphProto,
  Int64,
  ModelProto,
  OnnxTypeName,
  TensorProto,
  TensorShapeProto,
  TypeProto,
  ValueInfoProto,
} from './onnx-types';

/** One dimension of a signature shape: a size, a symbolic name ('batch'), or '?' when neither is given. */
export type Dim = number | string;

/** The dimension reported when a model gives neither a size nor a name. */
export const UNKNOWN_DIM = '?';

/** The name, element type and shape of one tensor input or output of a model. */
export interface TensorSignature {
  name: string;
  /** The ONNX element type name: 'FLOAT', 'INT64', 'STRING', … */
  onnxType: OnnxTypeName;
  /** The same type as a KServe V2 datatype: 'FP32', 'INT64', 'BYTES', … */
  datatype: Datatype;
  /** Dimensions in order; a symbolic dimension is its name, an unnamed unknown one is '?'. */
  shape: Dim[];
  /** False when the model does not state the rank at all; `shape` is then empty. */
  rankKnown: boolean;
}

/** A model input or output the inference protocol cannot carry (a sequence, a map, a complex tensor, …). */
export interface UnsupportedValue {
  name: string;
  role: 'input' | 'output';
  /** The ONNX type, written like `sequence(map(INT64, tensor(FLOAT)))`. */
  type: string;
  /** Why it cannot be served. */
  reason: string;
}

/** An imported operator set; the default ONNX domain is reported as 'ai.onnx'. */
export interface OpsetSignature {
  domain: string;
  version: number;
}

/** What a serving layer needs to know about a model without running it. */
export interface ModelSignature {
  irVersion: number;
  opsets: OpsetSignature[];
  producerName: string;
  producerVersion: string;
  graphName: string;
  /** `metadata_props` of the model. */
  metadata: Record<string, string>;
  /** Tensor inputs the caller must feed; initializers listed as graph inputs are left out. */
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  /** Inputs and outputs that are not tensors of a KServe datatype; a server cannot serve these. */
  unsupported: UnsupportedValue[];
  /** Elements in the main graph's initializers (sparse ones count their stored values). */
  parameterCount: number;
  /** Bytes those elements occupy (fixed-width types) plus string lengths, wherever they are stored. */
  initializerBytes: number;
  /** Every distinct `location` of external data referenced anywhere in the model, in order of first use. */
  externalDataLocations: string[];
}

/**
 * Reads the signature of a model: its inputs and outputs with KServe datatypes and shapes,
 * its operator sets, and the size of its weights.
 *
 * @param model the `.onnx` bytes, or a model already decoded with `decodeModel`
 * @throws OnnxFormatError when the bytes are not a valid ONNX model
 */
export function inspectModel(model: Uint8Array | ModelProto): ModelSignature {
  const proto = isUint8Array(model) ? decodeModel(model) : model;
  const graph = proto.graph ?? {};
  const initializerNames = new Set<string>();
  for (const tensor of graph.initializer ?? []) if (tensor.name) initializerNames.add(tensor.name);
  for (const sparse of graph.sparseInitializer ?? [])
    if (sparse.values?.name) initializerNames.add(sparse.values.name);

  const unsupported: UnsupportedValue[] = [];
  const collect = (values: ValueInfoProto[], role: 'input' | 'output'): TensorSignature[] => {
    const signatures: TensorSignature[] = [];
    for (const value of values) {
      const result = toSignature(value);
      if ('reason' in result) unsupported.push({ ...result, role });
      else signatures.push(result);
    }
    return signatures;
  };
  // Before IR 4 every initializer also had to be listed as an input; those are constants, not inputs.
  const inputs = collect(
    (graph.input ?? []).filter((input) => input.name === undefined || !initializerNames.has(input.name)),
    'input',
  );
  const outputs = collect(graph.output ?? [], 'output');

  let parameterCount = 0;
  let initializerBytes = 0;
  for (const tensor of graph.initializer ?? []) {
    parameterCount += elementCount(tensor.dims);
    initializerBytes += tensorBytes(tensor);
  }
  for (const sparse of graph.sparseInitializer ?? []) {
    if (sparse.values !== undefined) {
      parameterCount += elementCount(sparse.values.dims);
      initializerBytes += tensorBytes(sparse.values);
    }
    if (sparse.indices !== undefined) initializerBytes += tensorBytes(sparse.indices);
  }

  const metadata: Record<string, string> = {};
  for (const entry of proto.metadataProps ?? []) metadata[entry.key ?? ''] = entry.value ?? '';

  return {
    irVersion: toNumber(proto.irVersion ?? 0),
    opsets: (proto.opsetImport ?? []).map((opset) => ({
      domain: opset.domain === undefined || opset.domain === '' ? 'ai.onnx' : opset.domain,
      version: toNumber(opset.version ?? 0),
    })),
    producerName: proto.producerName ?? '',
    producerVersion: proto.producerVersion ?? '',
    graphName: graph.name ?? '',
    metadata,
    inputs,
    outputs,
    unsupported,
    parameterCount,
    initializerBytes,
    externalDataLocations: externalDataLocations(proto),
  };
}

function toSignature(value: ValueInfoProto): TensorSignature | Omit<UnsupportedValue, 'role'> {
  const name = value.name ?? '';
  const type = value.type;
  if (type === undefined) return { name, type: 'unknown', reason: 'the model gives no type' };
  const tensor = type.tensorType;
  if (tensor === undefined) return { name, type: describeType(type), reason: 'not a tensor' };
  const code = tensor.elemType ?? TENSOR_DATA_TYPE.UNDEFINED;
  const onnxType = onnxTypeName(code);
  const datatype = onnxType === undefined ? undefined : onnxTypeToDatatype(onnxType);
  if (onnxType === undefined || datatype === undefined) {
    return {
      name,
      type: describeType(type),
      reason: `element type ${onnxType ?? `code ${code}`} has no KServe V2 datatype`,
    };
  }
  return { name, onnxType, datatype, ...describeShape(tensor.shape) };
}

function describeShape(shape: TensorShapeProto | undefined): { shape: Dim[]; rankKnown: boolean } {
  if (shape === undefined) return { shape: [], rankKnown: false };
  const dims = (shape.dim ?? []).map((dim): Dim => {
    if (dim.dimValue !== undefined) return toNumber(dim.dimValue);
    if (dim.dimParam !== undefined && dim.dimParam !== '') return dim.dimParam;
    return UNKNOWN_DIM;
  });
  return { shape: dims, rankKnown: true };
}

function elemTypeLabel(code: number | undefined): string {
  return onnxTypeName(code ?? 0) ?? `UNDEFINED(${code ?? 0})`;
}

function describeType(type: TypeProto): string {
  if (type.tensorType) return `tensor(${elemTypeLabel(type.tensorType.elemType)})`;
  if (type.sparseTensorType) return `sparse_tensor(${elemTypeLabel(type.sparseTensorType.elemType)})`;
  if (type.sequenceType) return `sequence(${describeNested(type.sequenceType.elemType)})`;
  if (type.optionalType) return `optional(${describeNested(type.optionalType.elemType)})`;
  if (type.mapType) {
    return `map(${elemTypeLabel(type.mapType.keyType)}, ${describeNested(type.mapType.valueType)})`;
  }
  return 'unknown';
}

function describeNested(type: TypeProto | undefined): string {
  return type === undefined ? 'unknown' : describeType(type);
}

function toNumber(value: Int64): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

function elementCount(dims: Int64[] | undefined): number {
  // No dims is a scalar: one element.
  return (dims ?? []).reduce<number>((count, dim) => count * toNumber(dim), 1);
}

function tensorBytes(tensor: TensorProto): number {
  const name = onnxTypeName(tensor.dataType ?? 0);
  if (name === 'STRING') return (tensor.stringData ?? []).reduce((sum, s) => sum + s.byteLength, 0);
  const bits = name === undefined ? undefined : onnxTypeBits(name);
  // An unknown type code: the best we can say is what is stored inline.
  if (bits === undefined) return tensor.rawData?.byteLength ?? 0;
  return Math.ceil((elementCount(tensor.dims) * bits) / 8);
}

function externalDataLocations(model: ModelProto): string[] {
  const locations = new Set<string>();
  const visitTensor = (tensor: TensorProto | undefined): void => {
    if (tensor?.dataLocation !== TENSOR_DATA_LOCATION.EXTERNAL) return;
    for (const entry of tensor.externalData ?? []) {
      if (entry.key === 'location' && entry.value !== undefined) locations.add(entry.value);
    }
  };
  const visitAttribute = (attribute: AttributeProto): void => {
    visitTensor(attribute.t);
    attribute.tensors?.forEach(visitTensor);
    visitTensor(attribute.sparseTensor?.values);
    visitTensor(attribute.sparseTensor?.indices);
    for (const sparse of attribute.sparseTensors ?? []) {
      visitTensor(sparse.values);
      visitTensor(sparse.indices);
    }
    if (attribute.g) visitGraph(attribute.g);
    attribute.graphs?.forEach(visitGraph);
  };
  // Subgraphs (If/Loop/Scan bodies) and functions can hold their own constants.
  const visitGraph = (graph: GraphProto): void => {
    graph.initializer?.forEach(visitTensor);
    for (const sparse of graph.sparseInitializer ?? []) {
      visitTensor(sparse.values);
      visitTensor(sparse.indices);
    }
    for (const node of graph.node ?? []) node.attribute?.forEach(visitAttribute);
  };
  if (model.graph) visitGraph(model.graph);
  for (const fn of model.functions ?? []) {
    for (const node of fn.node ?? []) node.attribute?.forEach(visitAttribute);
  }
  for (const info of model.trainingInfo ?? []) {
    if (info.initialization) visitGraph(info.initialization);
    if (info.algorithm) visitGraph(info.algorithm);
  }
  return [...locations];
}
