// Original file: protos/jobs.proto


export interface GetJobDatasetResponse {
  /**
   * Set in the first message: "jsonl" or "npz", and the sha256 (hex) of the whole content.
   */
  'format'?: (string);
  'sha256'?: (string);
  'chunk'?: (Buffer | Uint8Array | string);
}

export interface GetJobDatasetResponse__Output {
  /**
   * Set in the first message: "jsonl" or "npz", and the sha256 (hex) of the whole content.
   */
  'format': (string);
  'sha256': (string);
  'chunk': (Buffer);
}
