// Original file: protos/jobs.proto


/**
 * A user-uploaded validation dataset.
 */
export interface ValidationDataset {
  /**
   * "jsonl": one JSON object per line mapping input name to a nested array or
   * {"shape": [...], "data": [...]}; "npz": numpy's savez format (a zip of <input>.npy files).
   */
  'format'?: (string);
  'content'?: (Buffer | Uint8Array | string);
}

/**
 * A user-uploaded validation dataset.
 */
export interface ValidationDataset__Output {
  /**
   * "jsonl": one JSON object per line mapping input name to a nested array or
   * {"shape": [...], "data": [...]}; "npz": numpy's savez format (a zip of <input>.npy files).
   */
  'format': (string);
  'content': (Buffer);
}
