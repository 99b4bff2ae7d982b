// Original file: protos/jobs.proto


export interface GetJobDatasetRequest {
  'job_id'?: (string);
}

export interface GetJobDatasetRequest__Output {
  'job_id': (string);
}
