import { attr, GraphBuilder } from '../graph-builder';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import type { BuiltModel } from './built-model';

/**
 * Builds a model with three inputs and three outputs of different types, all with a dynamic
 * first dimension 'batch':
 * - `sum` FP32 [batch, 4] = `a` FP32 [batch, 4] + Cast(`b` INT64 [batch, 4] → float)
 * - `b_doubled` INT64 [batch, 4] = `b` + `b`
 * - `not_flag` BOOL [batch, 1] = Not(`flag` BOOL [batch, 1])
 */
export function buildMultiIoModel(): BuiltModel {
  const builder = new GraphBuilder({ graphName: 'multi_io' })
    .addInput('a', 'FLOAT', ['batch', 4])
    .addInput('b', 'INT64', ['batch', 4])
    .addInput('flag', 'BOOL', ['batch', 1])
    .addNode('Cast', ['b'], ['b_float'], { attributes: { to: attr.int(TENSOR_DATA_TYPE.FLOAT) } })
    .addNode('Add', ['a', 'b_float'], ['sum'])
    .addNode('Add', ['b', 'b'], ['b_doubled'])
    .addNode('Not', ['flag'], ['not_flag'])
    .addOutput('sum', 'FLOAT', ['batch', 4])
    .addOutput('b_doubled', 'INT64', ['batch', 4])
    .addOutput('not_flag', 'BOOL', ['batch', 1]);
  return {
    bytes: builder.toBytes(),
    inputNames: ['a', 'b', 'flag'],
    outputNames: ['sum', 'b_doubled', 'not_flag'],
  };
}
