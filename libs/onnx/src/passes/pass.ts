/**
 * Shared types for optimization passes: pure functions from model bytes + settings to model
 * bytes + a report of what changed.
 */

/** What a pass returns: the rewritten model and a report of what it did. */
export interface PassResult {
  /** The rewritten model, serialized as an ONNX ModelProto. */
  bytes: Uint8Array;
  /** What the pass did. */
  report: PassReport;
}

/** A description of one pass run, kept with the produced model version. */
export interface PassReport {
  /** Name of the pass, e.g. `quantize-int8`. */
  pass: string;
  /** The settings the pass ran with, defaults filled in. */
  settings: Record<string, unknown>;
  /** Size of the source model in bytes. */
  sizeBefore: number;
  /** Size of the produced model in bytes. */
  sizeAfter: number;
  /** Names of the source nodes that were rewritten. */
  changedNodes: string[];
  /** Nodes the pass would have rewritten but left as they are, with why. */
  skippedNodes: { name: string; opType: string; reason: string }[];
  /** Free-form remarks about the result (e.g. portability caveats). */
  notes: string[];
}

/**
 * Settings a pass cannot run with. A deterministic failure: retrying the same job can never
 * succeed, so job runners must not retry it (match on `name` across process boundaries).
 */
export class PassSettingsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PassSettingsError';
  }
}
