/**
 * Bytes that are not a usable ONNX model: not a ModelProto at all, cut short, or missing a part
 * every model must have (graph, ir_version, opset_import). Also raised when a model object cannot
 * be encoded. Match it by `name` as well as `instanceof`: errors that cross a worker or process
 * boundary lose their prototype.
 */
export class OnnxFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OnnxFormatError';
  }
}
