/** A model made by one of the builders in this folder. */
export interface BuiltModel {
  /** The encoded `.onnx` bytes. */
  bytes: Uint8Array;
  /** Graph input names, in declaration order. */
  inputNames: readonly string[];
  /** Graph output names, in declaration order. */
  outputNames: readonly string[];
}
