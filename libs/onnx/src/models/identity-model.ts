import { datatypeToOnnxType } from '../datatypes';
import type { Datatype } from '../datatypes';
import { GraphBuilder } from '../graph-builder';
import type { BuiltModel } from './built-model';

/** The input name {@link buildIdentityModel} gives a datatype ('FP32' → 'in_fp32'). */
export function identityInputName(datatype: Datatype): string {
  return `in_${datatype.toLowerCase()}`;
}

/** The output name {@link buildIdentityModel} gives a datatype ('FP32' → 'out_fp32'). */
export function identityOutputName(datatype: Datatype): string {
  return `out_${datatype.toLowerCase()}`;
}

/**
 * Builds a model that returns each input unchanged: for every datatype, input `in_<dt>` and
 * output `out_<dt>` (lower case), both [batch, 3], joined by Identity. onnxruntime-node 1.30 runs
 * it for every datatype except BF16: it refuses to load a model with a BF16 input or output
 * ("Unsupported data type: 16"), and its JavaScript API has no bfloat16 tensor to feed.
 */
export function buildIdentityModel(datatypes: readonly Datatype[]): BuiltModel {
  if (datatypes.length === 0) throw new RangeError('buildIdentityModel: give at least one datatype');
  const seen = new Set<Datatype>();
  const builder = new GraphBuilder({ graphName: 'identity' });
  for (const datatype of datatypes) {
    if (seen.has(datatype)) throw new RangeError(`buildIdentityModel: ${datatype} is listed twice`);
    seen.add(datatype);
    const onnxType = datatypeToOnnxType(datatype);
    builder
      .addInput(identityInputName(datatype), onnxType, ['batch', 3])
      .addNode('Identity', [identityInputName(datatype)], [identityOutputName(datatype)])
      .addOutput(identityOutputName(datatype), onnxType, ['batch', 3]);
  }
  return {
    bytes: builder.toBytes(),
    inputNames: datatypes.map(identityInputName),
    outputNames: datatypes.map(identityOutputName),
  };
}
