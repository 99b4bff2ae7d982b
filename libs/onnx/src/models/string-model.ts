import { attr, GraphBuilder } from '../graph-builder';
import type { BuiltModel } from './built-model';

/** Options of {@link buildStringModel}. */
export interface StringModelOptions {
  /**
   * Locale StringNormalizer changes case with. onnxruntime fails to load the model when the
   * locale is not installed (its own default, en_US.UTF-8, often is not in containers); "C"
   * exists everywhere but upper-cases ASCII letters only. "C.UTF-8" also handles accented letters
   * where glibc provides it (2.35 and later, Debian 12). @default 'C'
   */
  locale?: string;
}

/**
 * Builds a model over strings: input `text` STRING [batch, 1]; outputs `text_out` (the input,
 * via Identity) and `upper` (upper-cased by StringNormalizer), both STRING [batch, 1].
 *
 * StringNormalizer only accepts [N] or [1, N], so the column is reshaped to one row [1, batch]
 * and back to [batch, 1] around it.
 */
export function buildStringModel(options: StringModelOptions = {}): BuiltModel {
  const builder = new GraphBuilder({ graphName: 'strings' })
    .addInput('text', 'STRING', ['batch', 1])
    .addInitializer('row_shape', [1, -1], [2], 'INT64')
    .addInitializer('column_shape', [-1, 1], [2], 'INT64')
    .addNode('Identity', ['text'], ['text_out'])
    .addNode('Reshape', ['text', 'row_shape'], ['text_row'])
    .addNode('StringNormalizer', ['text_row'], ['upper_row'], {
      attributes: { case_change_action: attr.string('UPPER'), locale: attr.string(options.locale ?? 'C') },
    })
    .addNode('Reshape', ['upper_row', 'column_shape'], ['upper'])
    .addOutput('text_out', 'STRING', ['batch', 1])
    .addOutput('upper', 'STRING', ['batch', 1]);
  return { bytes: builder.toBytes(), inputNames: ['text'], outputNames: ['text_out', 'upper'] };
}
