// Original file: protos/jobs.proto


export interface ReportJobEventResponse {
  /**
   * True when the job was cancelled: the worker stops and registers nothing.
   */
  'cancelled'?: (boolean);
}

export interface ReportJobEventResponse__Output {
  /**
   * True when the job was cancelled: the worker stops and registers nothing.
   */
  'cancelled': (boolean);
}
